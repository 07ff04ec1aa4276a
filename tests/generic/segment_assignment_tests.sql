{#- Package-free generic tests for segment assignments. Thresholds are read
    from the catalog (segment_definitions), which is compiled from the scheme
    configuration: one source of truth for dbt and the Great Expectations gate. -#}

{#- Exactly one primary segment per customer and scheme, and every customer
    of `customers` in every scheme of `definitions`. One row per violation. -#}
{% test exclusive_and_covering_assignment(model, customers, definitions) %}

with

assignments as (

    select
        customer_id,
        scheme_name,
        count(*) as count_assignments
    from {{ model }}
    group by customer_id, scheme_name

),

expected as (

    select
        customers.customer_id,
        schemes.scheme_name
    from {{ customers }} as customers
    cross join (select distinct scheme_name from {{ definitions }}) as schemes

),

compared as (

    select
        coalesce(expected.customer_id, assignments.customer_id) as customer_id,
        coalesce(expected.scheme_name, assignments.scheme_name) as scheme_name,
        case
            when assignments.customer_id is null then 'customer missing from scheme'
            when expected.customer_id is null then 'assignment for an unknown customer or scheme'
            when assignments.count_assignments > 1 then 'more than one primary segment'
        end as failure
    from expected
    full outer join assignments
        on expected.customer_id = assignments.customer_id
        and expected.scheme_name = assignments.scheme_name

)

select * from compared
where failure is not null

{% endtest %}


{#- Every non-fallback segment of the catalog holds at least its scheme's
    min_segment_size members and min_segment_share of the scheme; a segment
    with no member at all (one that disappeared) fails too. -#}
{% test segment_min_size(model, definitions) %}

with

sizes as (

    select
        scheme_name,
        segment_name,
        count(*) as member_count
    from {{ model }}
    group by scheme_name, segment_name

),

totals as (

    select
        scheme_name,
        count(*) as audience_count
    from {{ model }}
    group by scheme_name

),

checked as (

    select
        definitions.scheme_name,
        definitions.segment_name,
        coalesce(sizes.member_count, 0) as member_count,
        definitions.min_segment_size,
        definitions.min_segment_share,
        coalesce(sizes.member_count, 0) * 1.0 / nullif(totals.audience_count, 0) as segment_share
    from {{ definitions }} as definitions
    left join sizes
        on definitions.scheme_name = sizes.scheme_name
        and definitions.segment_name = sizes.segment_name
    left join totals
        on definitions.scheme_name = totals.scheme_name
    where not definitions.is_fallback

)

select * from checked
where member_count < min_segment_size
    or coalesce(segment_share, 0) < min_segment_share

{% endtest %}


{#- No segment (fallback included) at or above its scheme's max_segment_share
    of the audience: a segment that big means the scheme does not segment. -#}
{% test segment_max_share(model, definitions) %}

with

sizes as (

    select
        scheme_name,
        segment_name,
        count(*) as member_count
    from {{ model }}
    group by scheme_name, segment_name

),

shares as (

    select
        scheme_name,
        segment_name,
        member_count,
        member_count * 1.0 / sum(member_count) over (partition by scheme_name) as segment_share
    from sizes

),

checked as (

    select
        shares.*,
        definitions.max_segment_share
    from shares
    inner join {{ definitions }} as definitions
        on shares.scheme_name = definitions.scheme_name
        and shares.segment_name = definitions.segment_name

)

select * from checked
where segment_share >= max_segment_share

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
