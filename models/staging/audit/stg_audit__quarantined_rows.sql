{{ config(materialized='table') }}

with

{% for src in audience_segments.staged_sources() %}
    {{ src.source }}__{{ src.table }} as (

        select
            '{{ src.source }}.{{ src.table }}' as source_name,
            cast({{ src.key }} as {{ dbt.type_string() }}) as natural_key,
            source_row_id,
            quarantine_reason as reason_code
        from {{ ref('base_' ~ src.source ~ '__' ~ src.table) }}
        where row_disposition = 'quarantined'

    ),

{% endfor %}

unioned as (

    {% for src in audience_segments.staged_sources() %}
        select * from {{ src.source }}__{{ src.table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ audience_segments.surrogate_key(['source_name', 'source_row_id']) }}
            as quarantined_row_id,
        source_name,
        source_row_id,
        natural_key,
        reason_code
    from unioned

)

select * from final
