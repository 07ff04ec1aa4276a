with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

windowed as (

    {#- Only purchases (order_status_class, from the configured statuses)
        count; refunds are counted apart, cancellations, pending and other
        statuses not at all. Amounts are in the reporting currency. Activity after the reference date
        is ignored so a pinned as-of date reproduces a past run. -#}
    select
        orders.customer_id,
        orders.order_status_class,
        orders.reporting_amount as amount,
        orders.product_category,
        orders.ordered_at,
        {{ dbt.datediff(
            'cast(orders.ordered_at as date)',
            'reference_date.as_of_date',
            'day'
        ) }} as days_ago,
        cast(orders.ordered_at as date)
        > {{ dbt.dateadd('month', -6, 'reference_date.as_of_date') }}
            as is_in_last_6_months
    from orders
    cross join reference_date
    where cast(orders.ordered_at as date) <= reference_date.as_of_date

),

final as (

    select
        customer_id,

        count(distinct case when order_status_class = 'purchase' then product_category end)
            as count_product_categories,

        count(case when order_status_class = 'purchase' then 1 end) as count_orders,
        count(case when order_status_class = 'refund' then 1 end) as count_refunded_orders,
        {% for days in [30, 90, 180, 365] %}
            count(case when order_status_class = 'purchase' and days_ago < {{ days }} then 1 end)
                as count_orders_last_{{ days }}_days,
            cast(
                coalesce(
                    sum(case when order_status_class = 'purchase' and days_ago < {{ days }} then amount end), 0
                ) as {{ dbt.type_numeric() }}
            ) as revenue_last_{{ days }}_days,
        {% endfor %}
        count(case when order_status_class = 'purchase' and is_in_last_6_months then 1 end)
            as count_orders_last_6_months,
        cast(coalesce(sum(case when order_status_class = 'purchase' then amount end), 0) as {{ dbt.type_numeric() }})
            as total_revenue,
        cast(avg(case when order_status_class = 'purchase' then amount end) as {{ dbt.type_numeric() }})
            as average_order_value,
        min(case when order_status_class = 'purchase' then days_ago end)
            as days_since_last_order,

        min(case when order_status_class = 'purchase' then ordered_at end)
            as first_order_at,
        max(case when order_status_class = 'purchase' then ordered_at end)
            as last_order_at

    from windowed
    group by customer_id
    {# Per customer, so filtering the groups equals filtering the rows,
        and RFM quintiles (read from here) rank the population only. #}
    having {{ audience_segments.in_population('customer_id') }}

)

select * from final
