with

source as (

    select * from {{ audience_segments.raw_source('billing', 'subscriptions') }}

),

customers as (

    select * from {{ ref('base_crm__customers') }}

),

valid_customers as (

    select customer_id
    from customers
    where row_disposition = 'staged'

),

typed as (

    select
        {{ audience_segments.clean_text('subscription_id') }} as subscription_id,
        {{ audience_segments.clean_text('customer_id') }} as customer_id,

        {{ audience_segments.normalise_enum('plan') }} as plan_name,
        {{ audience_segments.normalise_enum('status') }} as subscription_status,

        {{ audience_segments.safe_cast(audience_segments.clean_text('mrr'), dbt.type_numeric()) }}
            as mrr,

        {{ audience_segments.safe_cast(audience_segments.clean_text('trial_started_at'), dbt.type_timestamp()) }}
            as trial_started_at,
        {{ audience_segments.safe_cast(audience_segments.clean_text('started_at'), dbt.type_timestamp()) }}
            as started_at,
        {{ audience_segments.safe_cast(audience_segments.clean_text('cancelled_at'), dbt.type_timestamp()) }}
            as cancelled_at,
        {{ audience_segments.safe_cast(audience_segments.clean_text('updated_at'), dbt.type_timestamp()) }}
            as updated_at,

        {{ audience_segments.surrogate_key([
            'subscription_id', 'customer_id', 'plan', 'trial_started_at',
            'started_at', 'cancelled_at', 'mrr', 'status', 'updated_at'
        ]) }} as _row_hash

    from source

),

validated as (

    select
        typed.*,
        case
            when typed.subscription_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when typed.mrr < 0 then 'negative_amount'
            when typed.started_at is null and typed.trial_started_at is null
                then 'missing_timestamp'
            when typed.cancelled_at < coalesce(typed.started_at, typed.trial_started_at)
                then 'cancelled_before_start'
            when
                coalesce(typed.started_at, typed.trial_started_at)
                > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
        end as quarantine_reason
    from typed
    left join valid_customers
        on typed.customer_id = valid_customers.customer_id

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'subscription_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
