{% macro subscription_status(status) -%}
    {{ return(adapter.dispatch('subscription_status', 'audience_segments')(status)) }}
{%- endmacro %}

{#- Billing tools spell the same states differently (Stripe: canceled,
    unpaid); the package's vocabulary is trialing, active, past_due,
    cancelled. Other statuses pass through; only past_due changes a
    feature (the as-of state is derived from the timestamps). -#}
{% macro default__subscription_status(status) -%}
    case
        when {{ status }} in ('canceled', 'cancelled', 'ended', 'incomplete_expired') then 'cancelled'
        when {{ status }} in ('past_due', 'unpaid') then 'past_due'
        when {{ status }} in ('trialing', 'trial', 'in_trial') then 'trialing'
        else {{ status }}
    end
{%- endmacro %}
