{#- Incremental (delete+insert by source_row_id): a run re-reads only the raw
    rows inside the lookback window, plus the stored rows that must be
    re-classified with them (every version of an order_id that has a re-read
    row or whose customer's validity or signup changed). The result equals a full
    refresh; see macros/incremental/incremental_window.sql. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='source_row_id',
    on_schema_change='fail'
) }}

{%- set typed_columns = [
    'order_id', 'customer_id', 'order_status', 'currency', 'sales_channel',
    'product_category', 'amount', 'ordered_at', 'updated_at', 'ordered_at_raw',
    '_row_hash', '_window_date'
] %}

with

source as (

    select * from {{ audience_segments.raw_source('shop', 'orders') }}

),

customers as (

    select * from {{ ref('base_crm__customers') }}

),

valid_customers as (

    select
        customer_id,
        signed_up_at
    from customers
    where row_disposition = 'staged'

),

dated as (

    {#- The last day the row can have arrived: a late update of an old order
        carries a new updated_at. -#}
    select
        *,
        cast(
            greatest(
                {{ audience_segments.safe_cast(audience_segments.clean_text('ordered_at'), dbt.type_timestamp()) }},
                {{ audience_segments.safe_cast(audience_segments.clean_text('updated_at'), dbt.type_timestamp()) }}
            ) as date
        ) as _window_date
    from source

),

{{ audience_segments.incremental_source_batch('dated') }}

typed as (

    select
        {{ audience_segments.clean_text('order_id') }} as order_id,
        {{ audience_segments.clean_text('customer_id') }} as customer_id,

        {{ audience_segments.normalise_enum('status') }} as order_status,
        upper({{ audience_segments.clean_text('currency') }}) as currency,
        {{ audience_segments.normalise_enum('sales_channel') }} as sales_channel,
        {{ audience_segments.normalise_enum('product_category') }}
            as product_category,

        {{ audience_segments.safe_cast(audience_segments.clean_text('amount'), dbt.type_numeric()) }}
            as amount,

        {{ audience_segments.safe_cast(audience_segments.clean_text('ordered_at'), dbt.type_timestamp()) }}
            as ordered_at,
        {{ audience_segments.safe_cast(audience_segments.clean_text('updated_at'), dbt.type_timestamp()) }}
            as updated_at,

        {{ audience_segments.clean_text('ordered_at') }} as ordered_at_raw,
        {{ audience_segments.surrogate_key([
            'order_id', 'customer_id', 'ordered_at', 'status', 'amount',
            'currency', 'sales_channel', 'product_category', 'updated_at'
        ]) }} as _row_hash,

        _window_date

    from source_batch

),

{% if is_incremental() %}

    {{ audience_segments.incremental_changed_customers('valid_customers') }}

    changed_keys as (

        select stored_row.order_id
        from {{ this }} as stored_row
        where
            stored_row.order_id is not null
            and stored_row.customer_id in (select changed_customers.customer_id from changed_customers)

    ),

    affected_keys as (

        select typed.order_id
        from typed
        where typed.order_id is not null
        union
        select changed_keys.order_id
        from changed_keys

    ),

    {#- Every version of an order competes in the dedup together. -#}
    {{ audience_segments.incremental_candidates('typed', typed_columns, 'order_id', 'affected_keys') }}

{% else %}

    candidates as (

        select * from typed

    ),

{% endif %}

validated as (

    select
        candidates.*,
        valid_customers.signed_up_at as _customer_signed_up_at,
        case
            when candidates.order_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when candidates.amount is null then 'missing_amount'
            when candidates.amount < 0 then 'negative_amount'
            when candidates.ordered_at_raw is null then 'missing_timestamp'
            when candidates.ordered_at is null then 'unparseable_timestamp'
            when candidates.ordered_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
            when candidates.ordered_at < valid_customers.signed_up_at
                then 'before_signup'
        end as quarantine_reason
    from candidates
    left join valid_customers
        on candidates.customer_id = valid_customers.customer_id

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'order_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
