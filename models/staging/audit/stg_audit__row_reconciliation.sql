{{ config(materialized='table') }}

{#- Raw rows are counted in the source itself, the dispositions in the base
    model (duplicates stored as rows, or counted per staged key where the
    registry says counted_duplicates): a base model that dropped or invented
    rows shows as raw_row_count <> staged + quarantined + duplicates +
    erased. Erased people's raw rows are counted in the source, or where the
    registry says counted_erasures, from the base model's blank `erased`
    rows (1 + duplicate_count raw rows each). -#}

with

{# Computed once for every source that counts its erased rows here. #}
erased_people as (

    {{ audience_segments.erased_customer_ids() }}

),

{% for src in audience_segments.enabled_sources() %}
    {%- set counted_in_base = src.get('counted_erasures', false) %}
    {#- Erased people's raw rows never reach most base models: they are
        counted here, from the source. -#}
    {%- set raw_erased = 'false' if counted_in_base
        else audience_segments.raw_row_is_erased(src.name, 'erased_people') %}
    {%- if src.get('counted_duplicates') %}
        {%- set duplicates = "sum(case when row_disposition <> 'erased' then duplicate_count end)" %}
        {%- set erased = "sum(case when row_disposition = 'erased' then 1 + duplicate_count end)" %}
    {%- else %}
        {%- set duplicates = "count(case when row_disposition = 'duplicate' then 1 end)" %}
        {%- set erased = "count(case when row_disposition = 'erased' then 1 end)" %}
    {%- endif %}
    raw_{{ src.name }} as (

        select
            count(*) as row_count,
            count(case when {{ raw_erased }} then 1 end) as erased_row_count
        from {{ audience_segments.source_relation(src.name) }}

    ),

    dispositions_{{ src.name }} as (

        select
            count(case when row_disposition = 'staged' then 1 end) as staged_row_count,
            count(case when row_disposition = 'quarantined' then 1 end) as quarantined_row_count,
            cast(coalesce({{ duplicates }}, 0) as {{ dbt.type_bigint() }}) as duplicate_row_count,
            cast(coalesce({{ erased }}, 0) as {{ dbt.type_bigint() }}) as erased_row_count
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
            {{ 'dispositions_' if src.get('counted_erasures') else 'raw_' }}{{ src.name }}.erased_row_count
        from raw_{{ src.name }}
        cross join dispositions_{{ src.name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
