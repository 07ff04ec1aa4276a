{{ config(enabled=audience_segments.using_source('erasure_requests')) }}

with

source as (

    select * from {{ audience_segments.source_relation('erasure_requests') }}

),

typed as (

    {{ audience_segments.typed_source('erasure_requests', 'source') }}

),

validated as (

    {#- A request for an unknown customer is still honoured (the person may
        arrive in a later load), so it is not an orphan: only a missing key
        makes a request unusable. -#}
    select
        {{ audience_segments.staged_column_names('erasure_requests') | join(',\n        ') }},
        _row_hash,
        case
            when customer_id is null then 'missing_key'
        end as quarantine_reason,
        case when customer_id is null then 'customer_id' end as quarantine_column,
        cast(null as {{ dbt.type_string() }}) as quarantine_value
    from typed

),

classified as (

    {#- The first request is the one the legal clock runs from. -#}
    {{ audience_segments.row_disposition(
        'validated', 'customer_id', 'requested_at asc nulls last'
    ) }}

),

final as (

    {#- The audit keeps the request, not the person: the id leaves as a
        keyed hash (the e-mail hash's salt), and the row hash, computed
        over the raw id, is re-keyed too. Base models match requests on
        the raw source at run time (erased_customer_ids). -#}
    select
        {{ audience_segments.pseudonymise('customer_id') }} as customer_key_hash,
        requested_at,
        quarantine_reason,
        quarantine_column,
        quarantine_value,
        {{ audience_segments.pseudonymise('source_row_id') }} as source_row_id,
        row_disposition
    from classified

)

select * from final
