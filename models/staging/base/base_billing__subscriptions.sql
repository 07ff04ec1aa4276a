{{ config(enabled=audience_segments.using_source('subscriptions')) }}

{%- set raw_columns = ['started_at', 'mrr'] %}

with

source as (

    {{ audience_segments.unerased_source('subscriptions') }}

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

    {{ audience_segments.typed_source('subscriptions', 'source', raw=raw_columns) }}

),

checked as (

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

validated as (

    select
        {{ audience_segments.staged_column_names('subscriptions') | join(',\n        ') }},
        _row_hash,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'subscription_id',
            'orphan_customer': 'customer_id',
            'negative_amount': 'mrr',
            'missing_timestamp': 'started_at',
            'cancelled_before_start': 'cancelled_at',
            'future_timestamp': 'started_at',
        }, raw=raw_columns) }}
    from checked

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'subscription_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
