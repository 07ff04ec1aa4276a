{#- Reusable named rules: {rule: <name>, args: {...}} in any scheme.

    Each rule is a dispatched macro `segment_rule_<name>` with a `default__`
    body, so a consuming project overrides the definition of, say, "active"
    once (dispatch config + `<project>.default__segment_rule_active_in_last_days`)
    and every scheme that uses it follows. The registry below lists each
    rule's arguments and the customer_360 fields it reads, so arguments and
    fields are checked at compile time like any other condition. -#}
{% macro named_segment_rules() -%}
    {{ return({
        'recency': {'args': {'min_days': 'number?', 'max_days': 'number?'}, 'fields': ['days_since_last_order']},
        'rfm_cell': {'args': {'recency': 'range?', 'frequency': 'range?', 'monetary': 'range?'}, 'fields': ['recency_score', 'frequency_score', 'monetary_score']},
        'active_in_last_days': {'args': {'days': 'number'}, 'fields': ['last_active_date']},
        'not_done_in_last_days': {'args': {'field': 'field', 'days': 'number'}, 'fields': []},
        'value_tier': {'args': {'tier': 'string'}, 'fields': ['monetary_score']},
    }) }}
{%- endmacro %}


{% macro compile_named_rule(condition, where) -%}
    {%- set name = condition.get('rule') -%}
    {%- set args = condition.get('args') or {} -%}
    {%- set registry = audience_segments.named_segment_rules() -%}
    {%- if name not in registry -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "unknown named rule '" ~ name ~ "'"
            ~ audience_segments.did_you_mean(name, registry.keys() | list) ~ '; known: ' ~ registry.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- if args is not mapping -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "': args must be a mapping, got " ~ args) }}
    {%- endif -%}
    {%- set spec = registry[name] -%}
    {%- for arg, value in args.items() -%}
        {%- if arg not in spec.args -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "' takes no argument '" ~ arg ~ "'"
                ~ audience_segments.did_you_mean(arg, spec.args.keys() | list) ~ '; it takes: ' ~ spec.args.keys() | list | join(', ')) }}
        {%- endif -%}
        {%- set expected = spec.args[arg] | replace('?', '') -%}
        {%- if expected == 'number' and (value is not number or value is boolean) -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "': argument '" ~ arg ~ "' must be a number, got " ~ value) }}
        {%- elif expected == 'range' and (value is string or value is not sequence or value | length != 2
            or value | reject('number') | list | length > 0 or value | select('boolean') | list | length > 0) -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "': argument '" ~ arg ~ "' must be [low, high] (two numbers), got " ~ value) }}
        {%- elif expected == 'field' and audience_segments.segment_field_type(value, where) not in ('date', 'timestamp', 'unknown') -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, value, "named rule '" ~ name ~ "': argument '" ~ arg ~ "' must name a date or timestamp column") }}
        {%- elif expected == 'string' and value is not string -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "': argument '" ~ arg ~ "' must be text, got " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for arg, expected in spec.args.items() -%}
        {%- if not expected.endswith('?') and arg not in args -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "named rule '" ~ name ~ "' needs argument '" ~ arg ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- for field in spec.fields -%}
        {%- do audience_segments.segment_field_type(field, where) -%}
    {%- endfor -%}
    {#- dbt resolves adapter.dispatch names statically, so each rule is called
        through its own wrapper rather than by a computed name. -#}
    {%- if name == 'recency' -%}
        {%- set sql = audience_segments.segment_rule_recency(**args) -%}
    {%- elif name == 'rfm_cell' -%}
        {%- set sql = audience_segments.segment_rule_rfm_cell(**args) -%}
    {%- elif name == 'active_in_last_days' -%}
        {%- set sql = audience_segments.segment_rule_active_in_last_days(**args) -%}
    {%- elif name == 'not_done_in_last_days' -%}
        {%- set sql = audience_segments.segment_rule_not_done_in_last_days(**args) -%}
    {%- elif name == 'value_tier' -%}
        {%- set sql = audience_segments.segment_rule_value_tier(**args) -%}
    {%- endif -%}
    ({{ sql | trim }})
{%- endmacro %}


{% macro named_rule_fields(condition, where) -%}
    {%- set registry = audience_segments.named_segment_rules() -%}
    {%- set spec = registry.get(condition.get('rule'), {'fields': []}) -%}
    {%- set fields = spec.fields | list -%}
    {%- set args = condition.get('args') or {} -%}
    {%- if 'field' in args %}{% do fields.append(args['field'] | lower) %}{% endif -%}
    {{ return(fields) }}
{%- endmacro %}


{#- Last completed order between min_days and max_days ago (inclusive). -#}
{% macro segment_rule_recency(min_days=none, max_days=none) -%}
    {{ return(adapter.dispatch('segment_rule_recency', 'audience_segments')(min_days, max_days)) }}
{%- endmacro %}

{% macro default__segment_rule_recency(min_days=none, max_days=none) -%}
    {%- set parts = ['days_since_last_order is not null'] -%}
    {%- if min_days is not none %}{% do parts.append('days_since_last_order >= ' ~ min_days) %}{% endif -%}
    {%- if max_days is not none %}{% do parts.append('days_since_last_order <= ' ~ max_days) %}{% endif -%}
    {#- A buyer-less customer has no recency: NULL, never a match. -#}
    case when days_since_last_order is not null then {{ parts | join(' and ') }} end
{%- endmacro %}


{#- RFM scores within inclusive ranges, e.g. recency [4, 5]. -#}
{% macro segment_rule_rfm_cell(recency=none, frequency=none, monetary=none) -%}
    {{ return(adapter.dispatch('segment_rule_rfm_cell', 'audience_segments')(recency, frequency, monetary)) }}
{%- endmacro %}

{% macro default__segment_rule_rfm_cell(recency=none, frequency=none, monetary=none) -%}
    {%- set parts = [] -%}
    {%- for column, bounds in [('recency_score', recency), ('frequency_score', frequency), ('monetary_score', monetary)] -%}
        {%- if bounds is not none -%}
            {%- do parts.append(column ~ ' between ' ~ bounds[0] ~ ' and ' ~ bounds[1]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ parts | join(' and ') if parts else 'recency_score is not null' }}
{%- endmacro %}


{#- Any tracked activity (event) in the last N days. -#}
{% macro segment_rule_active_in_last_days(days) -%}
    {{ return(adapter.dispatch('segment_rule_active_in_last_days', 'audience_segments')(days)) }}
{%- endmacro %}

{% macro default__segment_rule_active_in_last_days(days) -%}
    {{ audience_segments.days_window('last_active_date', days, true) }}
{%- endmacro %}


{#- Did not do X in the last N days, where X is the date in `field`. A NULL
    (never did X) counts as "not done": the rule says so explicitly, so this
    is the one place a NULL field matches, by design. -#}
{% macro segment_rule_not_done_in_last_days(field, days) -%}
    {{ return(adapter.dispatch('segment_rule_not_done_in_last_days', 'audience_segments')(field, days)) }}
{%- endmacro %}

{% macro default__segment_rule_not_done_in_last_days(field, days) -%}
    ({{ field }} is null or {{ audience_segments.days_window(field, days, false) }})
{%- endmacro %}


{#- Value tier on the monetary score: high = 5, medium = 3-4, low = 1-2. -#}
{% macro segment_rule_value_tier(tier) -%}
    {{ return(adapter.dispatch('segment_rule_value_tier', 'audience_segments')(tier)) }}
{%- endmacro %}

{% macro default__segment_rule_value_tier(tier) -%}
    {%- set bounds = {'high': (5, 5), 'medium': (3, 4), 'low': (1, 2)} -%}
    {%- if tier not in bounds -%}
        {{ exceptions.raise_compiler_error("segment_rule_value_tier: tier must be high, medium or low, got '" ~ tier ~ "'") }}
    {%- endif -%}
    monetary_score between {{ bounds[tier][0] }} and {{ bounds[tier][1] }}
{%- endmacro %}
