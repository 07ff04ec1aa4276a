{#- The severity of every quality check, from the var
    audience_segments_quality_severity (validated in
    segment_field_requirements), so the Great Expectations gate reads the
    same severities as the dbt tests instead of assuming them. -#}
{%- set severities = var('audience_segments_quality_severity', {}) or {} -%}
{%- set checks = ['exclusivity', 'coverage', 'min_size', 'max_share', 'completeness', 'staging_keys'] -%}

with

checks as (

    {% for check in checks -%}
        select
            '{{ check }}' as check_name,
            '{{ severities.get(check, "error") }}' as severity
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select * from checks

)

select * from final
