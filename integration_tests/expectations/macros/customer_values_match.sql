{#- Every hand-computed value in seeds/expected/expected_customer_values.csv
    matches customer_360. Numbers match within half a cent, anything else
    (text, booleans, dates, timestamps in UTC) as text; an empty expected
    value means NULL. A customer missing from customer_360 fails on every
    value it asserts. Returns one row per mismatch. -#}
{% test customer_values_match(model) %}
{%- set columns = [] -%}
{%- if execute -%}
    {%- set columns_query -%}
        select distinct column_name
        from {{ model }}
        order by column_name
    {%- endset -%}
    {%- set columns = run_query(columns_query).columns[0].values() -%}
{%- endif %}

with

expected as (

    select * from {{ model }}

),

customers as (

    select * from {{ ref('customer_360') }}

),

actual as (

    {% for column in columns -%}
        select
            customer_id,
            '{{ column }}' as column_name,
            cast({{ column }} as {{ dbt.type_string() }}) as actual_value
        from customers
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as customer_id,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as {{ dbt.type_string() }}) as actual_value
        where false
    {%- endfor %}

),

compared as (

    select
        expected.customer_id,
        expected.column_name,
        expected.expected_value,
        actual.actual_value,
        actual.customer_id is not null as is_customer_present,
        {{ audience_segments.safe_cast('expected.expected_value', 'double') }}
            as expected_number,
        {{ audience_segments.safe_cast('actual.actual_value', 'double') }}
            as actual_number
    from expected
    left join actual
        on
            expected.customer_id = actual.customer_id
            and expected.column_name = actual.column_name

),

final as (

    select
        customer_id,
        column_name,
        expected_value,
        actual_value,
        is_customer_present
    from compared
    where
        not is_customer_present
        or case
            when expected_value is null then actual_value is not null
            when actual_value is null then true
            when expected_number is not null and actual_number is not null
                then abs(expected_number - actual_number) >= 0.005
            else lower(expected_value) <> lower(actual_value)
        end

)

select * from final
{% endtest %}
