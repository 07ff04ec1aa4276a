with

source as (

    select * from {{ audience_segments.raw_source('privacy', 'erasure_requests') }}

),

typed as (

    select
        {{ audience_segments.clean_text('customer_id') }} as customer_id,

        {{ audience_segments.safe_cast(audience_segments.clean_text('requested_at'), dbt.type_timestamp()) }}
            as requested_at,

        {{ audience_segments.surrogate_key(['customer_id', 'requested_at']) }}
            as _row_hash

    from source

),

validated as (

    {#- A request for an unknown customer is still honoured (the person may
        arrive in a later load), so it is not an orphan: only a missing key
        makes a request unusable. -#}
    select
        *,
        case
            when customer_id is null then 'missing_key'
        end as quarantine_reason
    from typed

),

classified as (

    {#- The first request is the one the legal clock runs from. -#}
    {{ audience_segments.row_disposition(
        'validated', 'customer_id', 'requested_at asc nulls last'
    ) }}

)

select * from classified
