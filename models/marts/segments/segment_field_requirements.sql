{#- The completeness bar of every customer_360 field a segment rule reads,
    compiled from the same configuration as the rules (plus the key fields
    and any field named in the overrides var). The dbt completeness test and
    the Great Expectations gate both read this table, so the thresholds live
    in dbt configuration only. -#}
{%- set schemes = audience_segments.compiled_segment_schemes() -%}
{%- set columns = audience_segments.customer_360_columns() -%}
{%- set default_ratio = var('audience_segments_completeness_default_mostly', 0.5) -%}
{%- set overrides = {} -%}
{%- for field, ratio in (var('audience_segments_completeness_mostly', {}) or {}).items() -%}
    {%- do overrides.update({field | lower: ratio}) -%}
{%- endfor -%}
{%- set severities = var('audience_segments_quality_severity', {}) or {} -%}
{#- customer_id is the grain and as_of_date anchors every relative window:
    a NULL in either breaks every scheme, so they must be complete. -#}
{%- set key_fields = ['customer_id', 'as_of_date'] -%}
{%- set known_checks = ['exclusivity', 'coverage', 'min_size', 'max_share', 'completeness', 'staging_keys'] -%}

{#- Configuration mistakes fail the build here, naming the var, rather than
    turning into a check that silently never fires. -#}
{%- for check, level in severities.items() -%}
    {%- if check not in known_checks -%}
        {{ audience_segments.segment_config_error(none, none, none, "audience_segments_quality_severity: unknown check '" ~ check ~ "'; known: " ~ known_checks | join(', ')) }}
    {%- endif -%}
    {%- if level not in ('error', 'warn') -%}
        {{ audience_segments.segment_config_error(none, none, none, "audience_segments_quality_severity: check '" ~ check ~ "' must be error or warn, got '" ~ level ~ "'") }}
    {%- endif -%}
{%- endfor -%}
{%- for field, ratio in ([(none, default_ratio)] + overrides.items() | list) -%}
    {%- if ratio is not number or ratio is boolean or ratio < 0 or ratio > 1 -%}
        {{ audience_segments.segment_config_error(none, none, field,
            ('audience_segments_completeness_mostly' if field else 'audience_segments_completeness_default_mostly')
            ~ ': the ratio must be a number between 0 and 1, got ' ~ ratio) }}
    {%- endif -%}
{%- endfor -%}

{%- set used_by = {} -%}
{%- for field in key_fields + (overrides.keys() | list) -%}
    {%- do used_by.update({field: used_by.get(field, [])}) -%}
{%- endfor -%}
{%- for scheme in schemes -%}
    {%- for segment in scheme.segments -%}
        {%- for field in segment.fields -%}
            {%- do used_by.update({field: used_by.get(field, []) + [scheme.name ~ '.' ~ segment.name]}) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}
{%- for field in used_by if columns and field not in columns -%}
    {{ audience_segments.segment_config_error(none, none, field, 'audience_segments_completeness_mostly: unknown column: customer_360 has no such column') }}
{%- endfor -%}

{%- set requirements = [] -%}
{%- for field in used_by | sort -%}
    {%- set is_key = field in key_fields -%}
    {%- do requirements.append({
        'field': field,
        'ratio': overrides.get(field, 1.0 if is_key else default_ratio),
        'used_by': 'key field of every scheme' if is_key else (used_by[field] | join(', ')) or 'completeness override only',
        'count_segments': used_by[field] | length,
        'is_key': is_key,
    }) -%}
{%- endfor -%}

with

requirements as (

    {% for requirement in requirements %}
        select
            {{ audience_segments.sql_string(requirement.field) }} as field_name,
            cast({{ requirement.ratio }} as {{ dbt.type_numeric() }}) as min_non_null_ratio,
            {{ audience_segments.sql_string(severities.get('completeness', 'error')) }} as severity,
            {{ audience_segments.sql_string(requirement.used_by) }} as used_by,
            {{ requirement.count_segments }} as count_segments_using,
            {{ 'true' if requirement.is_key else 'false' }} as is_key_field
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from requirements
