{%- set quasi_identifiers = audience_segments.quasi_identifiers() %}
{%- set candidates = audience_segments.quasi_identifier_candidates() %}
{%- set published = [] %}
{%- for column in candidates %}
    {%- do published.append(('anonymised.' if column in quasi_identifiers else 'demographics.') ~ column) %}
{%- endfor %}
{%- set age = audience_segments.age_in_years('customers.birth_date', 'reference_date.as_of_date') %}

with

customers as (

    select * from {{ ref('int_customers') }}

),

firmographics as (

    select * from {{ ref('int_account_firmographics') }}

),

order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

rfm_scores as (

    select * from {{ ref('int_customer_rfm_scores') }}

),

engagement_facts as (

    select * from {{ ref('int_customer_engagement_facts') }}

),

subscription_facts as (

    select * from {{ ref('int_customer_subscription_facts') }}

),

latest_survey as (

    select * from {{ ref('int_customer_latest_survey') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

joined as (

    select
        customers.customer_id,
        customers.account_id,
        customers.email_hash,

        customers.acquisition_channel,
        firmographics.industry,
        firmographics.growth_stage,
        firmographics.company_size_band,
        firmographics.revenue_band,
        firmographics.tech_stack,
        subscription_facts.current_plan_name,
        subscription_facts.current_subscription_status,
        latest_survey.primary_goal,
        latest_survey.main_pain_point,
        latest_survey.motivation,
        rfm_scores.rfm_cell,

        cast(
            {{ dbt.datediff('cast(customers.signed_up_at as date)', 'reference_date.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as tenure_days,
        firmographics.employee_count,
        firmographics.annual_revenue,
        coalesce(firmographics.count_tools, 0) as count_tools,
        coalesce(order_facts.count_orders, 0) as count_orders,
        coalesce(order_facts.count_refunded_orders, 0) as count_refunded_orders,
        coalesce(order_facts.count_product_categories, 0) as count_product_categories,
        {% for days in [30, 90, 180, 365] -%}
            coalesce(order_facts.count_orders_last_{{ days }}_days, 0)
                as count_orders_last_{{ days }}_days,
            coalesce(order_facts.revenue_last_{{ days }}_days, 0)
                as revenue_last_{{ days }}_days,
        {% endfor -%}
        coalesce(order_facts.count_orders_last_6_months, 0)
            as count_orders_last_6_months,
        coalesce(order_facts.total_revenue, 0) as total_revenue,
        order_facts.average_order_value,
        order_facts.days_since_last_order,
        rfm_scores.recency_score,
        rfm_scores.frequency_score,
        rfm_scores.monetary_score,
        cast(
            coalesce(order_facts.total_revenue, 0)
            + coalesce(subscription_facts.subscription_revenue_to_date, 0)
            as {{ dbt.type_numeric() }}
        ) as lifetime_value,
        coalesce(subscription_facts.count_subscriptions, 0) as count_subscriptions,
        coalesce(subscription_facts.current_mrr, 0) as current_mrr,
        {% for column in [
            'count_active_days_last_30_days', 'count_active_days_last_90_days',
            'count_logins_last_30_days', 'count_page_views_last_30_days',
            'count_features_adopted_last_90_days', 'count_add_to_carts_last_30_days',
            'count_checkouts_started_last_30_days',
            'count_pricing_page_views_last_14_days',
            'count_demo_requests_last_30_days', 'count_email_opens_last_90_days',
            'count_email_clicks_last_90_days', 'count_events', 'engagement_score'
        ] -%}
            coalesce(engagement_facts.{{ column }}, 0) as {{ column }},
        {% endfor -%}
        cast(
            {{ dbt.datediff('engagement_facts.last_active_date', 'reference_date.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_last_active,

        customers.account_id is not null as is_b2b,
        customers.has_email,
        coalesce(customers.has_marketing_consent, false) as has_marketing_consent,
        customers.has_email
        and coalesce(customers.has_marketing_consent, false) as is_reachable,
        {% for tool in audience_segments.tracked_tools() -%}
            coalesce(firmographics.uses_{{ tool }}, false) as uses_{{ tool }},
        {% endfor -%}
        (
            coalesce(engagement_facts.count_add_to_carts_last_30_days, 0)
            + coalesce(engagement_facts.count_checkouts_started_last_30_days, 0)
        ) > 0
        and coalesce(order_facts.count_orders_last_30_days, 0) = 0
            as has_abandoned_cart,
        coalesce(engagement_facts.count_demo_requests_last_30_days, 0) > 0
        or coalesce(engagement_facts.count_pricing_page_views_last_14_days, 0) >= 2
            as has_intent_signal,

        reference_date.as_of_date,
        engagement_facts.last_active_date,
        customers.signed_up_at,
        order_facts.first_order_at,
        order_facts.last_order_at,
        subscription_facts.first_trial_started_at,
        subscription_facts.first_subscription_started_at,
        subscription_facts.last_cancelled_at,
        latest_survey.survey_answered_at

    from customers
    cross join reference_date
    left join firmographics
        on customers.account_id = firmographics.account_id
    left join order_facts
        on customers.customer_id = order_facts.customer_id
    left join rfm_scores
        on customers.customer_id = rfm_scores.customer_id
    left join engagement_facts
        on customers.customer_id = engagement_facts.customer_id
    left join subscription_facts
        on customers.customer_id = subscription_facts.customer_id
    left join latest_survey
        on customers.customer_id = latest_survey.customer_id

),

demographics as (

    {#- Quasi-identifiers, generalised: the birth date as an age band, the
        postal code as its prefix; city and job title are not published. -#}
    select
        customers.customer_id,
        customers.gender,
        customers.country_code,
        customers.region,
        {{ audience_segments.postal_prefix('customers.postal_code') }} as postal_prefix,
        {{ audience_segments.market_region('customers.country_code') }} as market_region,
        customers.seniority,
        {{ audience_segments.age_band(age) }} as age_band
    from customers
    cross join reference_date

),

anonymised as (

    {{ audience_segments.k_anonymous_select(
        'demographics', 'customer_id', quasi_identifiers, audience_segments.k_anonymity()
    ) }}

),

final as (

    {#- Rules read these published values, so no segment tells more about
        a person than customer_360 does. -#}
    select
        joined.*,
        {{ published | join(',\n        ') }}
    from joined
    inner join demographics
        on joined.customer_id = demographics.customer_id
    inner join anonymised
        on joined.customer_id = anonymised.customer_id

)

select * from final
