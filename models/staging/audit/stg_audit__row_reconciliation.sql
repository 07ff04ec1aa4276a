{{ config(materialized='table') }}

with

{% for src in audience_segments.staged_sources() %}
    {%- set name = src.source ~ '__' ~ src.table %}
    raw_{{ name }} as (

        select count(*) as row_count from {{ audience_segments.raw_source(src.source, src.table) }}

    ),

    staged_{{ name }} as (

        select count(*) as row_count from {{ ref('stg_' ~ name) }}

    ),

    duplicates_{{ name }} as (

        select count(*) as row_count
        from {{ ref('base_' ~ name) }}
        where row_disposition = 'duplicate'

    ),

{% endfor %}

quarantined as (

    select
        source_name,
        count(*) as row_count
    from {{ ref('stg_audit__quarantined_rows') }}
    group by source_name

),

counts as (

    {% for src in audience_segments.staged_sources() %}
        {%- set name = src.source ~ '__' ~ src.table %}
        select
            '{{ src.source }}.{{ src.table }}' as source_name,
            raw_{{ name }}.row_count as raw_row_count,
            staged_{{ name }}.row_count as staged_row_count,
            duplicates_{{ name }}.row_count as duplicate_row_count
        from raw_{{ name }}
        cross join staged_{{ name }}
        cross join duplicates_{{ name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        counts.source_name,
        counts.raw_row_count,
        counts.staged_row_count,
        coalesce(quarantined.row_count, 0) as quarantined_row_count,
        counts.duplicate_row_count
    from counts
    left join quarantined
        on counts.source_name = quarantined.source_name

)

select * from final
