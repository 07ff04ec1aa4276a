{#- Currency conversion to one reporting currency.

    audience_segments_reporting_currency  the currency every revenue figure
                                          is reported in (default USD);
    audience_segments_fx_rates            static rates: reporting-currency
                                          units per unit of each currency;
    the optional fx_rates source          daily rates (currency, rate_date,
                                          rate) that replace the static ones.

    An order whose currency has no rate is quarantined as unknown_currency,
    never summed raw; an order without a currency is in the reporting
    currency. -#}

{% macro reporting_currency() -%}
    {%- set currency = var('audience_segments_reporting_currency', 'USD') -%}
    {%- if currency is not string or not modules.re.match('^[A-Za-z]{3}$', currency) -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_reporting_currency must be a three-letter currency code, got ' ~ currency
        ) }}
    {%- endif -%}
    {{ return(currency | upper) }}
{%- endmacro %}


{#- The static rates, validated: {CODE: rate}, the reporting currency at 1. -#}
{% macro fx_static_rates() -%}
    {%- set rates = var('audience_segments_fx_rates', {}) or {} -%}
    {%- if rates is not mapping -%}
        {{ exceptions.raise_compiler_error('audience_segments_fx_rates must be a mapping {CURRENCY: rate}, got ' ~ rates) }}
    {%- endif -%}
    {%- set checked = {audience_segments.reporting_currency(): 1} -%}
    {%- for code, rate in rates.items() -%}
        {%- if code is not string or not modules.re.match('^[A-Za-z]{3}$', code) -%}
            {{ exceptions.raise_compiler_error("audience_segments_fx_rates: '" ~ code ~ "' is not a three-letter currency code") }}
        {%- endif -%}
        {%- if rate is not number or rate is boolean or rate <= 0 -%}
            {{ exceptions.raise_compiler_error("audience_segments_fx_rates: the rate of " ~ code ~ " must be a positive number, got " ~ rate) }}
        {%- endif -%}
        {%- if (code | upper) == audience_segments.reporting_currency() and rate != 1 -%}
            {{ exceptions.raise_compiler_error("audience_segments_fx_rates: the reporting currency " ~ code ~ " must have rate 1, got " ~ rate) }}
        {%- endif -%}
        {%- do checked.update({code | upper: rate}) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}


{#- The currency an order is in: its own, else the reporting currency. -#}
{% macro order_currency(currency) -%}
    coalesce({{ currency }}, '{{ audience_segments.reporting_currency() }}')
{%- endmacro %}


{#- True when the currency has a rate: a static one, or (with the fx_rates
    source on) any staged rate. -#}
{% macro has_fx_rate(currency) -%}
    {%- if audience_segments.using_source('fx_rates') -%}
        ({{ audience_segments.order_currency(currency) }} = '{{ audience_segments.reporting_currency() }}'
        or {{ audience_segments.order_currency(currency) }} in (
            select fx_rates.currency from {{ ref('stg_finance__fx_rates') }} as fx_rates
        ))
    {%- else -%}
        {{ audience_segments.order_currency(currency) }} in (
            {{ audience_segments.quoted_list(audience_segments.fx_static_rates().keys() | list) }}
        )
    {%- endif -%}
{%- endmacro %}


{#- The static rate of a currency as a SQL expression (NULL when none). -#}
{% macro static_fx_rate(currency) -%}
    case {{ audience_segments.order_currency(currency) }}
        {%- for code, rate in audience_segments.fx_static_rates().items() %}
        when '{{ code }}' then cast({{ rate }} as {{ dbt.type_numeric() }})
        {%- endfor %}
    end
{%- endmacro %}


{#- The orders CTE with `fx_rate` from the fx_rates source: the rate of the
    order's currency on the latest rate_date on or before the order's day,
    else (an order older than the first rate) the earliest rate. -#}
{% macro orders_with_fx_rate(orders, fx_rates) -%}
    {{ return(adapter.dispatch('orders_with_fx_rate', 'audience_segments')(orders, fx_rates)) }}
{%- endmacro %}

{% macro default__orders_with_fx_rate(orders, fx_rates) -%}
    select
        {{ orders }}.*,
        case
            when {{ orders }}.currency = '{{ audience_segments.reporting_currency() }}'
                then cast(1 as {{ dbt.type_numeric() }})
            else coalesce(
                (
                    select latest.rate from {{ fx_rates }} as latest
                    where
                        latest.currency = {{ orders }}.currency
                        and latest.rate_date <= cast({{ orders }}.ordered_at as date)
                    order by latest.rate_date desc
                    limit 1
                ),
                (
                    select earliest.rate from {{ fx_rates }} as earliest
                    where earliest.currency = {{ orders }}.currency
                    order by earliest.rate_date asc
                    limit 1
                )
            )
        end as fx_rate
    from {{ orders }}
{%- endmacro %}

{#- DuckDB's ASOF join finds the latest earlier rate in one sorted pass
    instead of a lookup per order. -#}
{% macro duckdb__orders_with_fx_rate(orders, fx_rates) -%}
    select
        {{ orders }}.*,
        case
            when {{ orders }}.currency = '{{ audience_segments.reporting_currency() }}'
                then cast(1 as {{ dbt.type_numeric() }})
            else coalesce(on_or_before.rate, earliest.rate)
        end as fx_rate
    from {{ orders }}
    asof left join {{ fx_rates }} as on_or_before
        on
            {{ orders }}.currency = on_or_before.currency
            and cast({{ orders }}.ordered_at as date) >= on_or_before.rate_date
    left join (
        select
            currency,
            arg_min(rate, rate_date) as rate
        from {{ fx_rates }}
        group by currency
    ) as earliest
        on {{ orders }}.currency = earliest.currency
{%- endmacro %}


{#- The largest order amount staged, in the order's own currency: no real
    order is worth 10^12 in any currency, so a larger value is a unit or
    export error, and summing such values overflows decimal sums
    downstream. Above it an order is quarantined as amount_out_of_range.
    Dispatched: a consumer with larger legitimate amounts overrides it. -#}
{% macro max_valid_amount() -%}
    {{ return(adapter.dispatch('max_valid_amount', 'audience_segments')()) }}
{%- endmacro %}

{% macro default__max_valid_amount() -%}
    1000000000000
{%- endmacro %}
