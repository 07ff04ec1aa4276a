with

subscriptions as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

as_of as (

    {#- The lifecycle state is derived from the timestamps as of the reference
        date, not copied from the source status, so a pinned as-of date sees
        the state of that day. past_due is the one state only billing knows. -#}
    select
        subscriptions.*,
        case
            when
                subscriptions.cancelled_at is not null
                and cast(subscriptions.cancelled_at as date) <= reference_date.as_of_date
                then 'cancelled'
            when
                subscriptions.started_at is not null
                and cast(subscriptions.started_at as date) <= reference_date.as_of_date
                then case
                    when subscriptions.subscription_status = 'past_due' then 'past_due'
                    else 'active'
                end
            when
                subscriptions.trial_started_at is not null
                and cast(subscriptions.trial_started_at as date) <= reference_date.as_of_date
                then 'trialing'
        end as status_as_of,
        {{ dbt.datediff(
            'cast(subscriptions.started_at as date)',
            'least(coalesce(cast(subscriptions.cancelled_at as date), reference_date.as_of_date), reference_date.as_of_date)',
            'month'
        ) }} as months_paid
    from subscriptions
    cross join reference_date
    where
        cast(coalesce(subscriptions.trial_started_at, subscriptions.started_at) as date)
        <= reference_date.as_of_date
        and {{ audience_segments.in_population('subscriptions.customer_id') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by coalesce(started_at, trial_started_at) desc, subscription_id
        ) as recency_rank
    from as_of

),

aggregated as (

    select
        customer_id,
        count(*) as count_subscriptions,
        cast(
            sum(case when status_as_of in ('active', 'past_due') then mrr else 0 end)
            as {{ dbt.type_numeric() }}
        ) as current_mrr,
        cast(
            sum(greatest(coalesce(months_paid, 0), 0) * coalesce(mrr, 0))
            as {{ dbt.type_numeric() }}
        ) as subscription_revenue_to_date,
        min(trial_started_at) as first_trial_started_at,
        min(started_at) as first_subscription_started_at,
        max(cancelled_at) as last_cancelled_at
    from as_of
    group by customer_id

),

latest as (

    select
        customer_id,
        plan_name as current_plan_name,
        status_as_of as current_subscription_status
    from ranked
    where recency_rank = 1

),

final as (

    select
        aggregated.customer_id,
        latest.current_plan_name,
        latest.current_subscription_status,
        aggregated.count_subscriptions,
        aggregated.current_mrr,
        aggregated.subscription_revenue_to_date,
        aggregated.first_trial_started_at,
        aggregated.first_subscription_started_at,
        aggregated.last_cancelled_at
    from aggregated
    inner join latest
        on aggregated.customer_id = latest.customer_id

)

select * from final
