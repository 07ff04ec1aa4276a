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
        ]) }} as _row_hash

    from source

),

validated as (

    select
        typed.*,
        case
            when typed.order_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when typed.amount is null then 'missing_amount'
            when typed.amount < 0 then 'negative_amount'
            when typed.ordered_at_raw is null then 'missing_timestamp'
            when typed.ordered_at is null then 'unparseable_timestamp'
            when typed.ordered_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
            when typed.ordered_at < valid_customers.signed_up_at
                then 'before_signup'
        end as quarantine_reason
    from typed
    left join valid_customers
        on typed.customer_id = valid_customers.customer_id

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'order_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
