{#- The rule language. A condition is one of

      {field: <column>, op: <operator>, value: <literal>}   comparison
      {field: <column>, op: between, value: [low, high]}
      {field: <column>, op: in | not in, value: [a, b, ...]}
      {field: <column>, op: is null | is not null}
      {field: <column>, op: within_days | older_than_days, value: <days>}
      {all: [<condition>, ...]}  {any: [<condition>, ...]}  {not: <condition>}
      {rule: <named rule>, args: {...}}                       reusable rule
      {sql: <predicate>, fields: [<column>, ...]}              escape hatch

    Compiled SQL keeps SQL's three-valued logic: a comparison on a NULL field
    is NULL, `not NULL` is NULL, and the segment predicate is wrapped in
    coalesce(..., false) at assignment time. So a NULL field never matches by
    accident, not even under `not`; only `is null` matches it. -#}

{% macro segment_operators() -%}
    {{ return({
        '=': 'scalar', '!=': 'scalar', '<': 'scalar', '<=': 'scalar',
        '>': 'scalar', '>=': 'scalar', 'like': 'pattern',
        'between': 'range', 'in': 'list', 'not in': 'list',
        'is null': 'none', 'is not null': 'none',
        'within_days': 'days', 'older_than_days': 'days',
    }) }}
{%- endmacro %}


{% macro compile_condition(condition, where) -%}
    {%- if condition is not mapping or condition | length == 0 -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, 'a condition must be a mapping, got: ' ~ condition) }}
    {%- endif -%}
    {%- set forms = [
        ('all', ['all']), ('any', ['any']), ('not', ['not']), ('rule', ['rule', 'args']),
        ('sql', ['sql', 'fields']), ('field', ['field', 'op', 'value']),
    ] -%}
    {%- for marker, keys in forms if marker in condition -%}
        {%- if loop.first -%}
            {%- do audience_segments.check_known_keys(condition, keys, "a '" ~ marker ~ "' condition", where.scheme, where.segment) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if 'all' in condition or 'any' in condition -%}
        {%- set key = 'all' if 'all' in condition else 'any' -%}
        {%- set parts = condition[key] -%}
        {%- if parts is string or parts is not sequence or parts | length == 0 -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, none, "'" ~ key ~ "' needs a non-empty list of conditions") }}
        {%- endif -%}
        {%- set compiled = [] -%}
        {%- for part in parts -%}
            {%- do compiled.append(audience_segments.compile_condition(part, where) | trim) -%}
        {%- endfor -%}
        ({{ compiled | join(' and ' if key == 'all' else ' or ') }})
    {%- elif 'not' in condition -%}
        (not {{ audience_segments.compile_condition(condition['not'], where) | trim }})
    {%- elif 'rule' in condition -%}
        {{ audience_segments.compile_named_rule(condition, where) }}
    {%- elif 'sql' in condition -%}
        ({{ audience_segments.checked_sql_predicate(condition, where) }})
    {%- elif 'field' in condition -%}
        {{ audience_segments.compile_comparison(condition, where) }}
    {%- else -%}
        {%- set markers = ['field', 'all', 'any', 'not', 'rule', 'sql'] -%}
        {%- set hints = [] -%}
        {%- for key in condition.keys() %}{% do hints.append(audience_segments.did_you_mean(key, markers)) %}{% endfor -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, none, 'unknown condition ' ~ condition
            ~ (hints | select | first | default('')) ~ ": use field/op/value, all, any, not, rule or sql") }}
    {%- endif -%}
{%- endmacro %}


{#- The type family of a column a rule reads (customer_360, or the
    consumer's features model): number, string, boolean, date, timestamp,
    or unknown (unit tests, which render without a manifest and give their
    input rows explicitly, so neither columns nor sources are checked
    there). Fails here, naming scheme, segment and field, on a field that no
    switched-on source feeds and on an unknown column. A type the rule
    language cannot compare is family `other`: only `is null`, `is not null`
    and the sql form apply to it (segment_literal refuses values). -#}
{% macro segment_field_type(field, where) -%}
    {%- set columns = where.columns -%}
    {%- if columns | length == 0 -%}
        {{ return('unknown') }}
    {%- endif -%}
    {%- set disabled_fields = where.get('disabled_fields') or {} -%}
    {%- if field is string and (field | lower) in disabled_fields -%}
        {%- set sources = disabled_fields[field | lower] -%}
        {%- set switches = [] -%}
        {%- for source in sources %}{% do switches.append('audience_segments_using_' ~ source ~ ': false') %}{% endfor -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, field,
            'no switched-on source feeds this field: it comes from the switched-off source'
            ~ ('s ' if sources | length > 1 else ' ') ~ sources | join(', ') ~ ' (' ~ switches | join(', ')
            ~ '); switch the source on or change the rule') }}
    {%- endif -%}
    {%- if field is not string or (field | lower) not in columns -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, field, 'unknown column: customer_360 has no such column'
            ~ (", nor has the features model '" ~ where.features_model ~ "' (audience_segments_customer_features_model)" if where.get('features_model') else '')) }}
    {%- endif -%}
    {{ return(audience_segments.segment_type_family(columns[field | lower])) }}
{%- endmacro %}


{#- The type family of a warehouse data type: number, string, boolean,
    date, timestamp, or other (lists, structs, blobs, intervals, times). -#}
{% macro segment_type_family(data_type) -%}
    {%- set data_type = (data_type or '') | lower | trim -%}
    {%- if data_type.startswith('bool') -%}{{ return('boolean') }}
    {%- elif data_type.startswith('timestamp') or data_type.startswith('datetime') -%}{{ return('timestamp') }}
    {%- elif data_type.startswith('date') -%}{{ return('date') }}
    {%- elif data_type.startswith('varchar') or data_type.startswith('text') or data_type.startswith('string')
        or data_type.startswith('char') or data_type.startswith('nvarchar') -%}{{ return('string') }}
    {%- elif data_type.endswith('[]') or data_type.startswith('struct') or data_type.startswith('map')
        or data_type.startswith('list') or data_type.startswith('union') or data_type.startswith('array') -%}{{ return('other') }}
    {%- elif modules.re.match('^(u?(tiny|small|big|huge)?int(eger)?[0-9]*|decimal|numeric|number|double|float[0-9]*|real)', data_type) -%}
        {{ return('number') }}
    {%- else -%}{{ return('other') }}
    {%- endif -%}
{%- endmacro %}


{% macro segment_literal(value, kind, field, where) -%}
    {%- if kind == 'other' -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "the column's type "
            ~ where.columns[field | lower] ~ ' cannot be compared with a value (the rule language compares numbers, text, '
            ~ 'booleans, dates and timestamps); cast it in the model, or use is null / is not null or the sql form') }}
    {%- endif -%}
    {%- set ok = (
        (kind == 'boolean' and value is boolean)
        or (kind == 'number' and value is number and value is not boolean)
        or (kind == 'string' and value is string)
        or (kind in ('date', 'timestamp') and value is string
            and modules.re.match('^\\d{4}-\\d{2}-\\d{2}', value))
        or kind == 'unknown'
    ) -%}
    {%- if not ok -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, field, 'value ' ~ value ~ ' has the wrong type: the column is ' ~ kind ~ (' (write dates as YYYY-MM-DD)' if kind in ('date', 'timestamp') else '')) }}
    {%- endif -%}
    {%- if value is boolean -%}{{ return('true' if value else 'false') }}
    {%- elif value is number -%}{{ return(value | string) }}
    {%- elif kind == 'date' -%}{{ return("cast('" ~ value ~ "' as date)") }}
    {%- elif kind == 'timestamp' -%}{{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- else -%}{{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{% macro compile_comparison(condition, where) -%}
    {%- set field = condition.get('field') -%}
    {%- set op = (condition.get('op') or '') | lower | trim -%}
    {%- set operators = audience_segments.segment_operators() -%}
    {%- set kind = audience_segments.segment_field_type(field, where) -%}
    {%- if op not in operators -%}
        {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "unknown operator '" ~ condition.get('op') ~ "'; known: " ~ operators.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- set shape = operators[op] -%}
    {%- set value = condition.get('value') -%}
    {%- set column = field | lower -%}
    {%- if shape == 'none' -%}
        ({{ column }} {{ op }})
    {%- elif shape == 'scalar' -%}
        {%- if kind == 'boolean' and op not in ('=', '!=') -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "operator '" ~ op ~ "' does not apply to a boolean column; use = or !=") }}
        {%- endif -%}
        ({{ column }} {{ '<>' if op == '!=' else op }} {{ audience_segments.segment_literal(value, kind, field, where) }})
    {%- elif shape == 'pattern' -%}
        {%- if kind not in ('string', 'unknown') -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "operator 'like' needs a text column, the column is " ~ kind) }}
        {%- endif -%}
        ({{ column }} like {{ audience_segments.segment_literal(value, kind, field, where) }})
    {%- elif shape == 'range' -%}
        {%- if value is string or value is not sequence or value | length != 2 -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "'between' needs a value list [low, high]") }}
        {%- endif -%}
        ({{ column }} between {{ audience_segments.segment_literal(value[0], kind, field, where) }} and {{ audience_segments.segment_literal(value[1], kind, field, where) }})
    {%- elif shape == 'list' -%}
        {%- if value is string or value is not sequence or value | length == 0 -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "'" ~ op ~ "' needs a non-empty value list") }}
        {%- endif -%}
        {%- set literals = [] -%}
        {%- for item in value -%}
            {%- do literals.append(audience_segments.segment_literal(item, kind, field, where)) -%}
        {%- endfor -%}
        ({{ column }} {{ op }} ({{ literals | join(', ') }}))
    {%- elif shape == 'days' -%}
        {%- if kind not in ('date', 'timestamp', 'unknown') -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "'" ~ op ~ "' needs a date or timestamp column, the column is " ~ kind) }}
        {%- endif -%}
        {%- if value is not number or value is boolean or value < 0 -%}
            {{ audience_segments.segment_config_error(where.scheme, where.segment, field, "'" ~ op ~ "' needs a whole number of days, got " ~ value) }}
        {%- endif -%}
        {{ audience_segments.days_window(column, value, op == 'within_days') }}
    {%- endif -%}
{%- endmacro %}


{#- Relative window against the customer row's own as_of_date. within N days
    = on the reference day or the N-1 days before it, as in the fact models;
    older than N days = strictly before that window. NULL stays NULL. -#}
{% macro days_window(column, days, within) -%}
    {{ return(adapter.dispatch('days_window', 'audience_segments')(column, days, within)) }}
{%- endmacro %}

{% macro default__days_window(column, days, within) -%}
    {%- set window_start = dbt.dateadd('day', -(days | int), 'as_of_date') -%}
    {%- if within -%}
        (cast({{ column }} as date) > {{ window_start }} and cast({{ column }} as date) <= as_of_date)
    {%- else -%}
        (cast({{ column }} as date) <= {{ window_start }})
    {%- endif -%}
{%- endmacro %}


{#- Every customer_360 column a condition reads, for the catalog. -#}
{% macro condition_fields(condition, where) -%}
    {%- set fields = [] -%}
    {%- if condition is mapping -%}
        {%- if 'all' in condition or 'any' in condition -%}
            {%- for part in condition.get('all', condition.get('any')) -%}
                {%- do fields.extend(audience_segments.condition_fields(part, where)) -%}
            {%- endfor -%}
        {%- elif 'not' in condition -%}
            {%- do fields.extend(audience_segments.condition_fields(condition['not'], where)) -%}
        {%- elif 'rule' in condition -%}
            {%- do fields.extend(audience_segments.named_rule_fields(condition, where)) -%}
        {%- elif 'sql' in condition -%}
            {%- do fields.extend(condition.get('fields', [])) -%}
        {%- elif 'field' in condition -%}
            {%- do fields.append(condition['field'] | lower) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(fields) }}
{%- endmacro %}
