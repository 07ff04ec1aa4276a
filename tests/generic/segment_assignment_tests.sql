{#- Package-free generic tests for segment assignments (integrity:
    exclusivity, coverage) and customer_360 completeness (health). Thresholds
    are read from tables compiled from the dbt configuration
    (segment_definitions, segment_field_requirements): one source of truth
    for dbt and the Great Expectations gate. The size and share tests read
    segment_health (segment_health_tests.sql). -#}

{#- Exactly one primary segment per customer and scheme (check
    'exclusivity'), and every customer of `customers` in every scheme of
    `definitions` and nobody else (check 'coverage'). `checks` picks which, so
    each can carry its own severity and only pays for its own joins. One row
    per violation, naming the scheme, the customer and, for exclusivity, each
    colliding segment. -#}
{% test exclusive_and_covering_assignment(model, customers, definitions, checks=['exclusivity', 'coverage']) %}

    {%- set known_checks = ['exclusivity', 'coverage'] -%}
    {%- if checks is string or checks is not sequence or checks | length == 0
        or checks | reject('in', known_checks) | list | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            'exclusive_and_covering_assignment on ' ~ model
            ~ ': checks must be a non-empty list of ' ~ known_checks | join(', ') ~ ', got ' ~ checks
        ) }}
    {%- endif %}

with

{% if 'exclusivity' in checks -%}
offending as (

    select
        customer_id,
        scheme_name,
        case
            when count(*) > 1 then 'more than one primary segment'
            else 'no primary segment (segment_name is null)'
        end as failure
    from {{ model }}
    group by customer_id, scheme_name
    having count(*) > 1 or count(segment_name) = 0

),

exclusivity as (

    select
        'exclusivity' as check_name,
        offending.failure,
        offending.scheme_name,
        assignments.segment_name,
        offending.customer_id
    from offending
    inner join {{ model }} as assignments
        on offending.customer_id = assignments.customer_id
        and offending.scheme_name = assignments.scheme_name

),

{% endif -%}
{% if 'coverage' in checks -%}
assigned as (

    select distinct
        customer_id,
        scheme_name
    from {{ model }}

),

expected as (

    select
        customers.customer_id,
        schemes.scheme_name
    from {{ customers }} as customers
    cross join (select distinct scheme_name from {{ definitions }}) as schemes

),

coverage as (

    select
        'coverage' as check_name,
        case
            when assigned.customer_id is null then 'customer missing from scheme'
            else 'assignment for an unknown customer or scheme'
        end as failure,
        coalesce(expected.scheme_name, assigned.scheme_name) as scheme_name,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        coalesce(expected.customer_id, assigned.customer_id) as customer_id
    from expected
    full outer join assigned
        on expected.customer_id = assigned.customer_id
        and expected.scheme_name = assigned.scheme_name
    where expected.customer_id is null or assigned.customer_id is null

),

{% endif -%}
final as (

    {% for check in checks -%}
    select * from {{ check }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

)

select * from final

{% endtest %}


{#- Share of non-NULL values of a column at or above min_ratio. -#}
{% test completeness_ratio(model, column_name, min_ratio) %}

    {%- if min_ratio is not number or min_ratio < 0 or min_ratio > 1 -%}
        {{ exceptions.raise_compiler_error(
            'completeness_ratio on ' ~ model ~ '.' ~ column_name
            ~ ': min_ratio must be a number between 0 and 1, got ' ~ min_ratio
        ) }}
    {%- endif %}

with

measured as (

    select
        '{{ column_name }}' as column_name,
        count({{ column_name }}) * 1.0 / nullif(count(*), 0) as completeness,
        {{ min_ratio }} as min_ratio
    from {{ model }}

)

select * from measured
where coalesce(completeness, 0) < min_ratio

{% endtest %}


{#- Every checked field of the requirements table `model` (one row per field:
    field_name, min_non_null_ratio, used_by, is_checked) has at least
    min_non_null_ratio non-NULL values in `customers`. Rows with is_checked
    false (an override for a field no enabled rule reads) are not checked.
    The field list is read from the table when the test runs, after the
    model is built, so the test and the Great Expectations gate check
    exactly the same fields; all fields are measured in one scan. One row
    per failing field.

    Attached to segment_field_requirements, which no model reads, so a
    failure (even at error severity) never skips a mart. -#}
{% test required_field_completeness(model, customers) %}

    {%- set fields = [] -%}
    {%- if execute -%}
        {%- set fields = run_query('select field_name from ' ~ model ~ ' where is_checked order by field_name').columns[0].values() | list -%}
    {%- endif %}

with

{% if fields -%}
counts as (

    select
        {%- for field in fields %}
        count({{ field }}) as non_null__{{ field }},
        {%- endfor %}
        count(*) as count_rows
    from {{ customers }}

),

measured as (

    {% for field in fields -%}
    select
        '{{ field }}' as field_name,
        non_null__{{ field }} * 1.0 / nullif(count_rows, 0) as non_null_ratio
    from counts
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),
{%- else %}
measured as (

    select
        cast(null as {{ dbt.type_string() }}) as field_name,
        cast(null as {{ dbt.type_float() }}) as non_null_ratio
    where 1 = 0

),
{%- endif %}

checked as (

    select
        requirements.field_name,
        measured.non_null_ratio,
        requirements.min_non_null_ratio,
        requirements.used_by
    from {{ model }} as requirements
    left join measured
        on requirements.field_name = measured.field_name
    where requirements.is_checked

)

select * from checked
where coalesce(non_null_ratio, 0) < min_non_null_ratio

{% endtest %}
