{{ config(materialized='table') }}

with

{% for src in audience_segments.enabled_sources() %}
    {%- set keys = [] %}
    {%- for column in src.natural_key %}
        {%- do keys.append('coalesce(cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ "), '')") %}
        {%- if not loop.last %}{% do keys.append("'|'") %}{% endif %}
    {%- endfor %}
    {{ src.name }} as (

        select
            '{{ src.source }}.{{ src.name }}' as source_name,
            '{{ src.name }}' as source_key,
            {% if src.get('audit_key') -%}
                cast({{ src.audit_key }} as {{ dbt.type_string() }})
            {%- elif keys | length == 1 -%}
                cast({{ src.natural_key[0] }} as {{ dbt.type_string() }})
            {%- elif src.get('audit_id') -%}
                coalesce(cast({{ src.audit_id }} as {{ dbt.type_string() }}), {{ dbt.concat(keys) }})
            {%- else -%}
                {{ dbt.concat(keys) }}
            {%- endif %} as natural_key,
            source_row_id,
            quarantine_reason as reason_code,
            quarantine_column as column_name,
            substr(quarantine_value, 1, 200) as raw_value
        from {{ ref(audience_segments.disposition_model(src.name)) }}
        where row_disposition = 'quarantined'

    ),

{% endfor %}

unioned as (

    {% for src in audience_segments.enabled_sources() %}
        select * from {{ src.name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ audience_segments.surrogate_key(['source_name', 'source_row_id']) }}
            as quarantined_row_id,
        source_name,
        source_key,
        source_row_id,
        natural_key,
        reason_code,
        column_name,
        raw_value
    from unioned

)

select * from final
