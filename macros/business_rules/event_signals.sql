{#- Event name -> the signal kind the engagement features count: login,
    page_view, pricing_view, add_to_cart, checkout, feature_used,
    email_open, email_click, demo_request; an unmapped name is `other` and
    counts as activity only. Names are matched after normalise_enum, so
    'Order Completed' is order_completed. The defaults cover the names of
    common tools (Segment/RudderStack specs, GA4, PostHog, Shopify, the demo
    data); audience_segments_event_signals adds to them (a name you list
    under another signal moves there; list a signal as [] to drop its
    defaults). -#}
{% macro event_signal_names() -%}
    {%- set defaults = {
        'login': ['login', 'log_in', 'logged_in', 'sign_in', 'signed_in', 'user_signed_in', 'user_logged_in'],
        'page_view': ['page_view', 'pageview', '$pageview', 'page_viewed', 'page', 'screen_view', 'screen',
                      'product_viewed', 'view_item', 'product_list_viewed', 'view_item_list'],
        'pricing_view': ['pricing_page_view', 'pricing_view', 'pricing_viewed', 'pricing_page_viewed',
                         'viewed_pricing'],
        'add_to_cart': ['add_to_cart', 'added_to_cart', 'product_added', 'product_added_to_cart', 'cart_add',
                        'addtocart'],
        'checkout': ['checkout_started', 'begin_checkout', 'started_checkout', 'checkout',
                     'checkout_step_viewed', 'initiate_checkout'],
        'feature_used': ['feature_used', 'used_feature', 'feature_usage'],
        'email_open': ['email_open', 'email_opened', 'opened_email'],
        'email_click': ['email_click', 'email_clicked', 'email_link_clicked', 'clicked_email'],
        'demo_request': ['demo_request', 'demo_requested', 'requested_demo', 'request_demo'],
    } -%}
    {{ return(audience_segments.merged_vocabulary(
        'audience_segments_event_signals', defaults, var('audience_segments_event_signals', none),
        'event name', 'lower snake case: Order Completed -> order_completed', '^[a-z0-9_$.:]+$'
    )) }}
{%- endmacro %}


{% macro event_signal(event_type) -%}
    {{ return(adapter.dispatch('event_signal', 'audience_segments')(event_type)) }}
{%- endmacro %}

{% macro default__event_signal(event_type) -%}
    case
        {%- for signal, names in audience_segments.event_signal_names().items() if names %}
        when {{ event_type }} in ({{ audience_segments.quoted_list(names) }}) then '{{ signal }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}
