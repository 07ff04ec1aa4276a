{#- The schemes the package ships. Each is configuration, compiled by the
    macros in this folder; replace or extend them with the vars documented in
    segment_config.sql, never by editing this file in a consuming project.
    Segments are listed in priority order: the first match wins. -#}
{% macro default_segment_schemes() -%}
{%- set schemes_yaml -%}
- name: value_rfm
  description: Value lens. Classic RFM cells over buyers; recency, frequency and monetary scores run 1-5 with 5 best.
  owner: growth-analytics
  version: "1.0.0"
  segments:
    - name: champions
      description: Bought recently, buy often and spend the most.
      criteria: R 4-5, F 4-5, M 4-5.
      rule: {rule: rfm_cell, args: {recency: [4, 5], frequency: [4, 5], monetary: [4, 5]}}
    - name: loyal
      description: Buy often and recently; spend may be moderate.
      criteria: R 4-5, F 3-5, not a champion.
      rule: {rule: rfm_cell, args: {recency: [4, 5], frequency: [3, 5]}}
    - name: cant_lose
      description: Used to buy often and big, and are slipping away.
      criteria: R 1-3, F 4-5, M 4-5.
      rule: {rule: rfm_cell, args: {recency: [1, 3], frequency: [4, 5], monetary: [4, 5]}}
    - name: at_risk
      description: Bought often in the past, lapsing now.
      criteria: R 1-3, F 3-5, not can't-lose.
      rule: {rule: rfm_cell, args: {recency: [1, 3], frequency: [3, 5]}}
    - name: new_customers
      description: One purchase, and a recent one.
      criteria: R 4-5, F 1.
      rule: {rule: rfm_cell, args: {recency: [4, 5], frequency: [1, 1]}}
    - name: potential_loyalists
      description: Recent buyers with one or two orders who could become loyal.
      criteria: R 3-5, F 1-2, not new.
      rule: {rule: rfm_cell, args: {recency: [3, 5], frequency: [1, 2]}}
    - name: hibernating
      description: Few, fairly old purchases.
      criteria: R 2, F 1-2.
      rule: {rule: rfm_cell, args: {recency: [2, 2], frequency: [1, 2]}}
    - name: lost
      description: Oldest last purchase and low frequency.
      criteria: R 1, F 1-2.
      rule: {rule: rfm_cell, args: {recency: [1, 1], frequency: [1, 2]}}
    - name: no_purchase_yet
      description: Customers without a completed order, who have no RFM scores. The eight cells above cover every buyer, so this fallback is exactly the non-buyers.
      fallback: true

- name: lifecycle
  description: Journey stage from first touch to churn, from orders, subscriptions and signup date.
  owner: lifecycle-marketing
  version: "1.0.0"
  segments:
    - name: loyal_vip
      description: Three or more purchases in the last six months.
      criteria: count_orders_last_6_months >= 3.
      rule: {field: count_orders_last_6_months, op: ">=", value: 3}
    - name: churned
      description: Cancelled their subscription and have not bought in 90 days.
      criteria: Subscription cancelled as of the reference date and no purchase in the last 90 days.
      rule:
        all:
          - {field: current_subscription_status, op: "=", value: cancelled}
          - {rule: not_done_in_last_days, args: {field: last_order_at, days: 90}}
    - name: at_risk
      description: Bought before, but not in the last 90 days.
      criteria: At least one purchase, none in the last 90 days.
      rule: {field: last_order_at, op: older_than_days, value: 90}
    - name: repeat_buyer
      description: Two or more purchases, the latest within 90 days.
      criteria: count_orders >= 2.
      rule: {field: count_orders, op: ">=", value: 2}
    - name: first_time_buyer
      description: Exactly one purchase, within 90 days.
      criteria: count_orders = 1.
      rule: {field: count_orders, op: "=", value: 1}
    - name: trial
      description: In a product trial, no purchase yet.
      criteria: Subscription status trialing.
      rule: {field: current_subscription_status, op: "=", value: trialing}
    - name: new_subscriber
      description: Signed up in the last 60 days, no purchase or trial yet.
      criteria: signed_up_at within 60 days of the reference date.
      rule: {field: signed_up_at, op: within_days, value: 60}
    - name: registered_lead
      description: Signed up more than 60 days ago and never bought or trialled.
      criteria: No completed order.
      rule: {field: count_orders, op: "=", value: 0}
    - name: unclassified
      description: Matched no stage (should stay near empty).
      fallback: true

- name: engagement
  description: Behavioral lens on product and site activity in the last 30 and 90 days.
  owner: product-analytics
  version: "1.0.0"
  segments:
    - name: power_user
      description: Active on 12 or more days of the last 30 and using three or more features.
      criteria: count_active_days_last_30_days >= 12 and count_features_adopted_last_90_days >= 3.
      rule:
        all:
          - {field: count_active_days_last_30_days, op: ">=", value: 12}
          - {field: count_features_adopted_last_90_days, op: ">=", value: 3}
    - name: regular
      description: Active on 4 or more days of the last 30.
      criteria: count_active_days_last_30_days >= 4.
      rule: {field: count_active_days_last_30_days, op: ">=", value: 4}
    - name: cart_abandoner
      description: Put something in the cart or started checkout in the last 30 days without buying.
      criteria: has_abandoned_cart.
      rule: {field: has_abandoned_cart, op: "=", value: true}
    - name: casual
      description: Active on 1 to 3 days of the last 30.
      criteria: Any activity in the last 30 days.
      rule: {rule: active_in_last_days, args: {days: 30}}
    - name: cooling
      description: Active in the last 90 days but not the last 30.
      criteria: Any activity in the last 90 days.
      rule: {rule: active_in_last_days, args: {days: 90}}
    - name: dormant
      description: No activity in the last 90 days, or never any.
      criteria: No event in the last 90 days.
      rule: {rule: not_done_in_last_days, args: {field: last_active_date, days: 90}}
    - name: unclassified
      description: Matched no engagement level (should stay empty).
      fallback: true

- name: firmographic
  description: Company size band by key vertical (B2B accounts), with consumers apart.
  owner: sales-operations
  version: "1.0.0"
  segments:
    - name: enterprise_software
      description: Software companies with 1,000+ employees.
      criteria: company_size_band = enterprise and industry = software.
      rule:
        all:
          - {field: company_size_band, op: "=", value: enterprise}
          - {field: industry, op: "=", value: software}
    - name: enterprise_other
      description: Other companies with 1,000+ employees.
      criteria: company_size_band = enterprise.
      rule: {field: company_size_band, op: "=", value: enterprise}
    - name: mid_market_manufacturing
      description: Manufacturers with 100-999 employees.
      criteria: company_size_band = mid_market and industry = manufacturing.
      rule:
        all:
          - {field: company_size_band, op: "=", value: mid_market}
          - {field: industry, op: "=", value: manufacturing}
    - name: mid_market_other
      description: Other companies with 100-999 employees.
      criteria: company_size_band = mid_market.
      rule: {field: company_size_band, op: "=", value: mid_market}
    - name: smb
      description: Companies under 100 employees.
      criteria: company_size_band = smb.
      rule: {field: company_size_band, op: "=", value: smb}
    - name: consumer
      description: B2C customers without an account.
      criteria: is_b2b = false.
      rule: {field: is_b2b, op: "=", value: false}
    - name: unknown_company
      description: B2B customers whose account has no usable firmographics.
      fallback: true

- name: geographic
  description: Demographic and geographic lens - sales territory, split by age where the audience is large enough.
  owner: regional-marketing
  version: "1.1.0"
  segments:
    - name: north_america_under_35
      description: North America, under 35.
      criteria: market_region = north_america and age_band in (18_24, 25_34).
      rule:
        all:
          - {field: market_region, op: "=", value: north_america}
          - {field: age_band, op: in, value: ['18_24', '25_34']}
    - name: north_america_35_plus
      description: North America, 35 or older (or age unknown or withheld).
      criteria: market_region = north_america.
      rule: {field: market_region, op: "=", value: north_america}
    - name: europe_under_35
      description: Europe, under 35.
      criteria: market_region = europe and age_band in (18_24, 25_34).
      rule:
        all:
          - {field: market_region, op: "=", value: europe}
          - {field: age_band, op: in, value: ['18_24', '25_34']}
    - name: europe_35_plus
      description: Europe, 35 or older (or age unknown or withheld).
      criteria: market_region = europe.
      rule: {field: market_region, op: "=", value: europe}
    - name: asia_pacific
      description: Asia-Pacific.
      criteria: market_region = asia_pacific.
      rule: {field: market_region, op: "=", value: asia_pacific}
    - name: rest_of_world
      description: Latin America, Middle East and Africa.
      criteria: market_region in (latin_america, middle_east_africa).
      rule: {field: market_region, op: in, value: [latin_america, middle_east_africa]}
    - name: unknown_location
      description: Country missing or not recognised.
      fallback: true

- name: technographic
  description: The tools a B2B account already uses; consumers apart.
  owner: partnerships
  version: "1.0.0"
  segments:
    - name: salesforce_shop
      description: Accounts running Salesforce.
      criteria: uses_salesforce.
      rule: {field: uses_salesforce, op: "=", value: true}
    - name: hubspot_shop
      description: Accounts running HubSpot (and not Salesforce).
      criteria: uses_hubspot.
      rule: {field: uses_hubspot, op: "=", value: true}
    - name: cloud_native
      description: Accounts on a public cloud (AWS, Azure or GCP) without a CRM above.
      criteria: uses_aws or uses_azure or uses_gcp.
      rule:
        any:
          - {field: uses_aws, op: "=", value: true}
          - {field: uses_azure, op: "=", value: true}
          - {field: uses_gcp, op: "=", value: true}
    - name: other_stack
      description: Accounts with some other known tool.
      criteria: count_tools >= 1.
      rule: {field: count_tools, op: ">=", value: 1}
    - name: consumer
      description: B2C customers (no company stack).
      criteria: is_b2b = false.
      rule: {field: is_b2b, op: "=", value: false}
    - name: unknown_stack
      description: B2B accounts with no stack data.
      fallback: true

- name: need_based
  description: Psychographic and need-based lens from the latest needs-survey answer.
  owner: product-marketing
  version: "1.0.0"
  segments:
    - name: revenue_growers
      description: Their primary goal is to grow revenue.
      criteria: primary_goal = grow_revenue.
      rule: {field: primary_goal, op: "=", value: grow_revenue}
    - name: time_savers
      description: Their primary goal is to save time.
      criteria: primary_goal = save_time.
      rule: {field: primary_goal, op: "=", value: save_time}
    - name: cost_cutters
      description: Their primary goal is to cut costs.
      criteria: primary_goal = cut_costs.
      rule: {field: primary_goal, op: "=", value: cut_costs}
    - name: quality_and_compliance
      description: Their primary goal is quality or compliance.
      criteria: primary_goal in (improve_quality, ensure_compliance).
      rule: {field: primary_goal, op: in, value: [improve_quality, ensure_compliance]}
    - name: not_surveyed
      description: Never answered the needs survey; their need is unknown.
      criteria: primary_goal is null.
      rule: {field: primary_goal, op: is null}
    - name: other_need
      description: Answered with a goal outside the known list.
      fallback: true

- name: acquisition_channel
  description: First-touch acquisition channel.
  owner: performance-marketing
  version: "1.0.0"
  segments:
    - name: organic_search
      description: Came from organic search.
      criteria: acquisition_channel = organic_search.
      rule: {field: acquisition_channel, op: "=", value: organic_search}
    - name: paid_search
      description: Came from paid search.
      criteria: acquisition_channel = paid_search.
      rule: {field: acquisition_channel, op: "=", value: paid_search}
    - name: paid_social
      description: Came from paid social.
      criteria: acquisition_channel = paid_social.
      rule: {field: acquisition_channel, op: "=", value: paid_social}
    - name: referral_and_partner
      description: Referred by a customer or a partner.
      criteria: acquisition_channel in (referral, partner).
      rule: {field: acquisition_channel, op: in, value: [referral, partner]}
    - name: email
      description: Came from e-mail.
      criteria: acquisition_channel = email.
      rule: {field: acquisition_channel, op: "=", value: email}
    - name: direct
      description: Came direct.
      criteria: acquisition_channel = direct.
      rule: {field: acquisition_channel, op: "=", value: direct}
    - name: unknown_channel
      description: First touch not recorded.
      fallback: true

- name: intent
  description: Buying intent from recent high-intent events.
  owner: sales-development
  version: "1.0.0"
  segments:
    - name: demo_requested
      description: Requested a demo in the last 30 days.
      criteria: count_demo_requests_last_30_days > 0.
      rule: {field: count_demo_requests_last_30_days, op: ">", value: 0}
    - name: evaluating_pricing
      description: Viewed pricing at least twice in the last 14 days.
      criteria: count_pricing_page_views_last_14_days >= 2.
      rule: {field: count_pricing_page_views_last_14_days, op: ">=", value: 2}
    - name: browsing
      description: Five or more page views in the last 30 days, no explicit intent.
      criteria: count_page_views_last_30_days >= 5.
      rule: {field: count_page_views_last_30_days, op: ">=", value: 5}
    - name: low_intent_active
      description: Active in the last 30 days without intent signals.
      criteria: Any activity in the last 30 days.
      rule: {rule: active_in_last_days, args: {days: 30}}
    - name: no_recent_activity
      description: No activity in the last 30 days.
      criteria: No event in the last 30 days, or never.
      rule: {rule: not_done_in_last_days, args: {field: last_active_date, days: 30}}
    - name: unclassified
      description: Matched no intent level (should stay empty).
      fallback: true

- name: account_health
  description: Combined lens for customer success - firmographic x behavioral x value, e.g. manufacturing accounts with low product usage.
  owner: customer-success
  version: "1.0.0"
  segments:
    - name: high_value_low_usage
      description: Top-two monetary quintiles but an engagement score under 30.
      criteria: monetary_score >= 4 and engagement_score < 30.
      rule:
        all:
          - {rule: rfm_cell, args: {monetary: [4, 5]}}
          - {field: engagement_score, op: "<", value: 30}
    - name: manufacturing_low_usage
      description: Manufacturing accounts with an engagement score under 30.
      criteria: industry = manufacturing and engagement_score < 30.
      rule:
        all:
          - {field: industry, op: "=", value: manufacturing}
          - {field: engagement_score, op: "<", value: 30}
    - name: engaged_decision_makers
      description: Directors, VPs and C-level people with an engagement score of 30 or more.
      criteria: seniority in (director, vp, c_level) and engagement_score >= 30.
      rule:
        all:
          - {field: seniority, op: in, value: [director, vp, c_level]}
          - {field: engagement_score, op: ">=", value: 30}
    - name: healthy_b2b
      description: Other B2B customers with an engagement score of 30 or more.
      criteria: is_b2b and engagement_score >= 30.
      rule:
        all:
          - {field: is_b2b, op: "=", value: true}
          - {field: engagement_score, op: ">=", value: 30}
    - name: low_usage_b2b
      description: Other B2B customers with an engagement score under 30.
      criteria: is_b2b and engagement_score < 30.
      rule:
        all:
          - {field: is_b2b, op: "=", value: true}
          - {field: engagement_score, op: "<", value: 30}
    - name: consumer
      description: B2C customers (outside account management).
      criteria: is_b2b = false.
      rule: {field: is_b2b, op: "=", value: false}
    - name: unclassified
      description: Matched no health state (should stay empty).
      fallback: true
{%- endset -%}
{%- set schemes = fromyaml(schemes_yaml) -%}
{%- if schemes is none -%}
    {#- fromyaml returns None on a YAML error instead of raising. -#}
    {{ exceptions.raise_compiler_error('default_segment_schemes: the YAML in macros/segments/default_schemes.sql does not parse') }}
{%- endif -%}
{{ return(schemes) }}
{%- endmacro %}
