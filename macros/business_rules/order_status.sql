{#- Order status -> what it means for the customer's value: purchase, refund,
    cancellation or pending; any other status is `other` and counts as
    nothing. Statuses are matched after normalise_enum (lower snake case).
    audience_segments_order_statuses adds to the defaults (a status you list
    under another class moves there; list a class as [] to drop its
    defaults); override the macro (dispatch) for a rule that needs more than
    the status. -#}
{% macro order_status_classes() -%}
    {%- set defaults = {
        'purchase': ['completed', 'complete', 'paid', 'fulfilled', 'partially_fulfilled', 'shipped', 'delivered',
                     'partially_refunded', 'succeeded', 'closed'],
        'refund': ['refunded', 'returned', 'chargeback', 'charged_back'],
        'cancellation': ['cancelled', 'canceled', 'voided', 'void', 'declined', 'failed'],
        'pending': ['pending', 'on_hold', 'processing', 'authorized', 'unpaid', 'open', 'draft'],
    } -%}
    {{ return(audience_segments.merged_vocabulary(
        'audience_segments_order_statuses', defaults, var('audience_segments_order_statuses', none),
        'status', 'lower snake case, e.g. partially_refunded', '^[a-z0-9_]+$'
    )) }}
{%- endmacro %}


{% macro order_status_class(status) -%}
    {{ return(adapter.dispatch('order_status_class', 'audience_segments')(status)) }}
{%- endmacro %}

{#- An order without a status is a purchase: transaction exports often
    list completed sales only and have no status column. -#}
{% macro default__order_status_class(status) -%}
    case
        when {{ status }} is null then 'purchase'
        {%- for class, statuses in audience_segments.order_status_classes().items() if statuses %}
        when {{ status }} in ({{ audience_segments.quoted_list(statuses) }}) then '{{ class }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}
