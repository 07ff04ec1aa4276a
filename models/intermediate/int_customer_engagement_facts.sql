with

events as (

    select * from {{ ref('stg_product__events') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

windowed as (

    select
        events.customer_id,
        events.signal_kind,
        events.feature_name,
        events.event_count,
        events.event_date,
        {{ dbt.datediff('events.event_date', 'reference_date.as_of_date', 'day') }}
            as days_ago
    from events
    cross join reference_date
    where events.event_date <= reference_date.as_of_date

),

features as (

    {#- Apart from the main aggregate: a distinct count there would hash
        every event row, here only recent feature use. Read from events, not
        windowed, so that windowed is not materialised for two readers. -#}
    select
        events.customer_id,
        count(distinct events.feature_name) as count_features_adopted_last_90_days
    from events
    cross join reference_date
    where
        events.signal_kind = 'feature_used'
        and events.event_date <= reference_date.as_of_date
        and events.event_date > {{ dbt.dateadd('day', -90, 'reference_date.as_of_date') }}
    group by events.customer_id

),

aggregated as (

    select
        customer_id,

        {{ audience_segments.count_days_within('days_ago', 30) }}
            as count_active_days_last_30_days,
        {{ audience_segments.count_days_within('days_ago', 90) }}
            as count_active_days_last_90_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'login' and days_ago < 30 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_logins_last_30_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'page_view' and days_ago < 30 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_page_views_last_30_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'add_to_cart' and days_ago < 30 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_add_to_carts_last_30_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'checkout' and days_ago < 30 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_checkouts_started_last_30_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'pricing_view' and days_ago < 14 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_pricing_page_views_last_14_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'demo_request' and days_ago < 30 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_demo_requests_last_30_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'email_open' and days_ago < 90 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_email_opens_last_90_days,
        cast(
            coalesce(
                sum(case when signal_kind = 'email_click' and days_ago < 90 then event_count end), 0
            ) as {{ dbt.type_bigint() }}
        )
            as count_email_clicks_last_90_days,
        cast(coalesce(sum(event_count), 0) as {{ dbt.type_bigint() }}) as count_events,

        min(event_date) as first_active_date,
        max(event_date) as last_active_date

    from windowed
    group by customer_id

),

with_features as (

    select
        aggregated.*,
        coalesce(features.count_features_adopted_last_90_days, 0)
            as count_features_adopted_last_90_days
    from aggregated
    left join features
        on aggregated.customer_id = features.customer_id

),

final as (

    {#- Engagement score, 0 to 100: active days carry most weight because they
        are the hardest signal to fake; each part is capped so one noisy
        channel cannot max out the score. -#}
    select
        *,
        cast(round(
            40 * least(count_active_days_last_30_days, 20) / 20.0
            + 20 * least(count_features_adopted_last_90_days, 5) / 5.0
            + 20 * least(count_logins_last_30_days, 20) / 20.0
            + 20 * least(count_email_clicks_last_90_days, 5) / 5.0,
            0
        ) as {{ dbt.type_int() }}) as engagement_score
    from with_features
    {# Per customer, so filtering the result equals filtering the rows,
        at 1M customers instead of 42M event rows. #}
    where {{ audience_segments.in_population('customer_id') }}

)

select * from final
