with

base as (

    select * from {{ ref('base_billing__subscriptions') }}

),

final as (

    select
        subscription_id,
        customer_id,

        plan_name,
        subscription_status,

        mrr,

        trial_started_at,
        started_at,
        cancelled_at,
        updated_at
    from base
    where row_disposition = 'staged'

)

select * from final
