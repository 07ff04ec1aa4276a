{#- Shipped variants of the default schemes for audiences the defaults do not
    fit, used only by the presets (segment_scheme_presets.sql); the `all`
    preset, the package's default, does not include them. Each variant keeps
    the lens and the segment names of the scheme it comes from, drops what
    that audience cannot have (subscriptions in a shop, product features in
    a shop) and keeps the segment count inside the benchmark of its audience
    (../shared/DOMAIN.md: B2C e-commerce 4-7, subscription media 3-6). -#}
{% macro shipped_scheme_variants() -%}
{%- set schemes_yaml -%}
- name: value_rfm_ecommerce
  description: Value lens for a shop. The RFM cells of value_rfm in six segments - can't-lose folded into at risk, hibernating and lost into lapsed - to stay within the 4-7 segments a B2C shop can act on.
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
    - name: at_risk
      description: Bought often in the past, lapsing now (big spenders included).
      criteria: R 1-3, F 3-5.
      rule: {rule: rfm_cell, args: {recency: [1, 3], frequency: [3, 5]}}
    - name: new_customers
      description: One purchase, and a recent one.
      criteria: R 4-5, F 1.
      rule: {rule: rfm_cell, args: {recency: [4, 5], frequency: [1, 1]}}
    - name: potential_loyalists
      description: Recent buyers with one or two orders who could become loyal.
      criteria: R 3-5, F 1-2, not new.
      rule: {rule: rfm_cell, args: {recency: [3, 5], frequency: [1, 2]}}
    - name: lapsed
      description: Few and old purchases.
      criteria: R 1-2, F 1-2.
      rule: {rule: rfm_cell, args: {recency: [1, 2], frequency: [1, 2]}}
    - name: no_purchase_yet
      description: Customers without a completed order, who have no RFM scores. The six cells above cover every buyer, so this fallback is exactly the non-buyers.
      fallback: true

- name: lifecycle_ecommerce
  description: Journey stage of a shop's customers from signup and orders alone (no subscriptions) - lifecycle without its trial and subscription-churn stages; churned means no purchase for a year.
  owner: lifecycle-marketing
  version: "1.0.0"
  segments:
    - name: loyal_vip
      description: Three or more purchases in the last six months.
      criteria: count_orders_last_6_months >= 3.
      rule: {field: count_orders_last_6_months, op: ">=", value: 3}
    - name: churned
      description: Bought before, but not in the last 365 days.
      criteria: At least one purchase, none in the last 365 days.
      rule: {field: last_order_at, op: older_than_days, value: 365}
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
    - name: new_subscriber
      description: Signed up in the last 60 days, no purchase yet.
      criteria: signed_up_at within 60 days of the reference date.
      rule: {field: signed_up_at, op: within_days, value: 60}
    - name: registered_lead
      description: Signed up more than 60 days ago and never bought.
      criteria: No completed order.
      rule: {field: count_orders, op: "=", value: 0}
    - name: unclassified
      description: Matched no stage (should stay near empty).
      fallback: true

- name: engagement_ecommerce
  description: Behavioral lens for a shop on site activity in the last 30 and 90 days - engagement without the product-feature adoption a shop does not track; the abandoned cart comes first because it is the shop's most actionable signal.
  owner: product-analytics
  version: "1.0.0"
  segments:
    - name: cart_abandoner
      description: Put something in the cart or started checkout in the last 30 days without buying.
      criteria: has_abandoned_cart.
      rule: {field: has_abandoned_cart, op: "=", value: true}
    - name: frequent_visitor
      description: Active on 8 or more days of the last 30.
      criteria: count_active_days_last_30_days >= 8.
      rule: {field: count_active_days_last_30_days, op: ">=", value: 8}
    - name: casual
      description: Active on fewer than 8 days of the last 30.
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

- name: lifecycle_subscription
  description: Journey stage of a subscriber, from the subscription status as of the reference date - lifecycle for subscription businesses, where the subscription, not the order, is the relationship.
  owner: lifecycle-marketing
  version: "1.0.0"
  segments:
    - name: trial
      description: In a trial.
      criteria: current_subscription_status = trialing.
      rule: {field: current_subscription_status, op: "=", value: trialing}
    - name: payment_issue
      description: Subscribed, but the last payment failed (involuntary churn risk).
      criteria: current_subscription_status in (past_due, unpaid).
      rule: {field: current_subscription_status, op: in, value: [past_due, unpaid]}
    - name: new_subscriber
      description: Active subscription started in the last 12 months, before its first annual renewal.
      criteria: Active and first_subscription_started_at within 365 days.
      rule:
        all:
          - {field: current_subscription_status, op: "=", value: active}
          - {field: first_subscription_started_at, op: within_days, value: 365}
    - name: active_subscriber
      description: Active subscription for more than a year.
      criteria: current_subscription_status = active.
      rule: {field: current_subscription_status, op: "=", value: active}
    - name: churned
      description: Cancelled their subscription.
      criteria: current_subscription_status = cancelled.
      rule: {field: current_subscription_status, op: "=", value: cancelled}
    - name: never_subscribed
      description: Registered without ever subscribing.
      criteria: count_subscriptions = 0.
      rule: {field: count_subscriptions, op: "=", value: 0}
    - name: unclassified
      description: Matched no stage (should stay near empty).
      fallback: true
{%- endset -%}
{%- set schemes = fromyaml(schemes_yaml) -%}
{%- if schemes is none -%}
    {{ exceptions.raise_compiler_error('shipped_scheme_variants: the YAML in macros/segments/shipped_scheme_variants.sql does not parse') }}
{%- endif -%}
{{ return(schemes) }}
{%- endmacro %}
