{{ config(materialized='table') }}

{#- Raw rows are counted in the source itself, the dispositions in the base
    model (duplicates stored as rows, or counted per staged key where the
    registry says counted_duplicates): a base model that dropped or invented
    rows shows as raw_row_count <> staged + quarantined + duplicates +
    erased. -#}

with

{% for src in audience_segments.enabled_sources() %}
    raw_{{ src.name }} as (

        {#- Erased people's raw rows never reach a base model; they are
            counted here, from the source, and nowhere stored. -#}
        select
            count(*) as row_count,
            count(case when {{ audience_segments.raw_row_is_erased(src.name) }} then 1 end) as erased_row_count
        from {{ audience_segments.source_relation(src.name) }}

    ),

    dispositions_{{ src.name }} as (

        select
            count(case when row_disposition = 'staged' then 1 end) as staged_row_count,
            count(case when row_disposition = 'quarantined' then 1 end) as quarantined_row_count,
            {% if src.get('counted_duplicates') -%}
                cast(coalesce(sum(duplicate_count), 0) as {{ dbt.type_bigint() }}) as duplicate_row_count
            {%- else -%}
                count(case when row_disposition = 'duplicate' then 1 end) as duplicate_row_count
            {%- endif %}
        from {{ ref(audience_segments.disposition_model(src.name)) }}

    ),

{% endfor %}

final as (

    {% for src in audience_segments.enabled_sources() %}
        select
            cast('{{ src.source }}.{{ src.name }}' as {{ dbt.type_string() }}) as source_name,
            cast('{{ src.name }}' as {{ dbt.type_string() }}) as source_key,
            raw_{{ src.name }}.row_count as raw_row_count,
            dispositions_{{ src.name }}.staged_row_count,
            dispositions_{{ src.name }}.quarantined_row_count,
            dispositions_{{ src.name }}.duplicate_row_count,
            raw_{{ src.name }}.erased_row_count
        from raw_{{ src.name }}
        cross join dispositions_{{ src.name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
