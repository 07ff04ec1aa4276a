{#- Closed label sets shared by staging validation and accepted_values tests. -#}

{% macro accepted_event_types() -%}
    {{ return([
        'page_view', 'add_to_cart', 'checkout_started', 'login',
        'feature_used', 'email_open', 'email_click', 'pricing_page_view',
        'demo_request'
    ]) }}
{%- endmacro %}


{#- Countries the demo market serves. A code outside this list (a typo, 'UK'
    for 'GB', a placeholder) becomes NULL ('unknown') rather than a country
    nobody can target. Override the macro to widen the list. -#}
{% macro known_country_codes() -%}
    {{ return(adapter.dispatch('known_country_codes', 'audience_segments')()) }}
{%- endmacro %}

{% macro default__known_country_codes() -%}
    {{ return([
        'US', 'CA', 'MX', 'BR', 'AR', 'GB', 'IE', 'DE', 'FR', 'ES', 'IT', 'NL',
        'BE', 'CH', 'AT', 'SE', 'NO', 'DK', 'FI', 'PL', 'PT', 'IN', 'JP', 'SG',
        'AU', 'NZ', 'ZA', 'AE', 'CN', 'KR'
    ]) }}
{%- endmacro %}


{#- The staged sources: name, base model, staging model and natural key.
    Quarantine and row reconciliation iterate over this one list. -#}
{% macro staged_sources() -%}
    {{ return([
        {'source': 'crm', 'table': 'customers', 'entity': 'customers', 'key': 'customer_id'},
        {'source': 'crm', 'table': 'accounts', 'entity': 'accounts', 'key': 'account_id'},
        {'source': 'shop', 'table': 'orders', 'entity': 'orders', 'key': 'order_id'},
        {'source': 'product', 'table': 'events', 'entity': 'events', 'key': 'event_day_id'},
        {'source': 'billing', 'table': 'subscriptions', 'entity': 'subscriptions', 'key': 'subscription_id'},
        {'source': 'survey', 'table': 'survey_responses', 'entity': 'survey_responses', 'key': 'response_id'},
        {'source': 'privacy', 'table': 'erasure_requests', 'entity': 'erasure_requests', 'key': 'customer_id'},
    ]) }}
{%- endmacro %}
