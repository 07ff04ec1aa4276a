{#- Every customer in seeds/expected/expected_primary_segments.csv has the
    expected primary segment in that scheme. Returns one row per mismatch (a
    missing assignment, or a missing scheme, shows as actual_segment NULL). -#}
{% test primary_segments_match(model) %}
with

expected as (

    select * from {{ model }}

),

assignments as (

    select * from {{ ref('segment_assignments') }}

),

final as (

    select
        expected.customer_id,
        expected.scheme_name,
        expected.segment_name as expected_segment,
        assignments.segment_name as actual_segment
    from expected
    left join assignments
        on
            expected.customer_id = assignments.customer_id
            and expected.scheme_name = assignments.scheme_name
    where
        assignments.segment_name is null
        or assignments.segment_name <> expected.segment_name

)

select * from final
{% endtest %}
