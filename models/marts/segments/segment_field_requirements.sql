{#- The completeness bar of every customer_360 field an enabled segment rule
    reads, compiled from the same configuration as the rules, plus the key
    fields. The dbt completeness test and the Great Expectations gate both
    read this table (rows with is_checked), so the thresholds live in dbt
    configuration only.

    A per-field override (audience_segments_completeness_mostly) for a
    customer_360 column that no enabled rule reads creates no check: it is
    listed with is_checked = false, so a bar for B2B fields is harmless when
    the firmographic schemes are left out. An override naming a column
    customer_360 does not have is a typo and fails the build. -#}
{%- set schemes = audience_segments.compiled_segment_schemes() -%}
{%- set columns = audience_segments.customer_360_columns() -%}
{%- set default_ratio = var('audience_segments_completeness_default_mostly', 0.5) -%}
{%- set configured_overrides = var('audience_segments_completeness_mostly', {}) or {} -%}
{%- if configured_overrides is not mapping -%}
    {{ audience_segments.segment_config_error(none, none, none,
        'audience_segments_completeness_mostly must be a mapping {field: ratio}, got ' ~ configured_overrides) }}
{%- endif -%}
{%- set overrides = {} -%}
{%- for field, ratio in configured_overrides.items() -%}
    {%- do overrides.update({field | lower: ratio}) -%}
{%- endfor -%}
{#- customer_id is the grain and as_of_date anchors every relative window:
    a NULL in either breaks every scheme, so they must be complete. -#}
{%- set key_fields = ['customer_id', 'as_of_date'] -%}

{#- Configuration mistakes fail the build here, naming the var, rather than
    turning into a check that silently never fires. -#}
{%- for field, ratio in ([(none, default_ratio)] + overrides.items() | list) -%}
    {%- if ratio is not number or ratio is boolean or ratio < 0 or ratio > 1 -%}
        {{ audience_segments.segment_config_error(none, none, field,
            ('audience_segments_completeness_mostly' if field else 'audience_segments_completeness_default_mostly')
            ~ ': the ratio must be a number between 0 and 1, got ' ~ ratio) }}
    {%- endif -%}
{%- endfor -%}
{%- for field in overrides if columns and field not in columns -%}
    {{ audience_segments.segment_config_error(none, none, field,
        'audience_segments_completeness_mostly: unknown column: customer_360 has no such column') }}
{%- endfor -%}

{%- set used_by = {} -%}
{%- for field in key_fields -%}
    {%- do used_by.update({field: []}) -%}
{%- endfor -%}
{%- for scheme in schemes -%}
    {%- for segment in scheme.segments -%}
        {%- for field in segment.fields -%}
            {%- do used_by.update({field: used_by.get(field, []) + [scheme.name ~ '.' ~ segment.name]}) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}

{%- set requirements = [] -%}
{%- for field in (used_by.keys() | list + overrides.keys() | list) | unique | sort -%}
    {%- set is_key = field in key_fields -%}
    {%- set is_checked = field in used_by -%}
    {%- if is_key -%}
        {%- set users = 'key field of every scheme' -%}
    {%- elif is_checked -%}
        {%- set users = used_by[field] | join(', ') -%}
    {%- else -%}
        {%- set users = 'override ignored: no enabled rule reads this field' -%}
    {%- endif -%}
    {%- do requirements.append({
        'field': field,
        'ratio': overrides.get(field, 1.0 if is_key else default_ratio),
        'used_by': users,
        'count_segments': used_by.get(field, []) | length,
        'is_key': is_key,
        'is_checked': is_checked,
    }) -%}
{%- endfor -%}

with

requirements as (

    {% for requirement in requirements %}
        select
            {{ audience_segments.sql_string(requirement.field) }} as field_name,
            cast({{ requirement.ratio }} as {{ dbt.type_numeric() }}) as min_non_null_ratio,
            {{ audience_segments.sql_string(requirement.used_by) }} as used_by,
            {{ requirement.count_segments }} as count_segments_using,
            {{ 'true' if requirement.is_key else 'false' }} as is_key_field,
            {{ 'true' if requirement.is_checked else 'false' }} as is_checked
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from requirements

)

select * from final
