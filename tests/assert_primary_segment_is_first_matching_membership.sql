-- Memberships vs assignments: exactly one primary membership per customer
-- and scheme, it is the assigned segment, and no other membership of that
-- customer in that scheme has a better (lower) priority; the match count
-- agrees with the memberships (a fallback customer has one membership).
with

assignments as (

    select * from {{ ref('segment_assignments') }}

),

memberships as (

    select * from {{ ref('segment_memberships') }}

),

per_customer_scheme as (

    select
        customer_id,
        scheme_name,
        count(*) as count_memberships,
        count(case when is_primary then 1 end) as count_primary,
        min(segment_priority) as best_priority,
        max(case when is_primary then segment_name end) as primary_segment_name
    from memberships
    group by customer_id, scheme_name

),

compared as (

    select
        assignments.customer_id,
        assignments.scheme_name,
        assignments.segment_name,
        per_customer_scheme.primary_segment_name,
        per_customer_scheme.count_memberships,
        assignments.count_segments_matched,
        per_customer_scheme.count_primary,
        per_customer_scheme.best_priority,
        assignments.segment_priority
    from assignments
    left join per_customer_scheme
        on
            assignments.customer_id = per_customer_scheme.customer_id
            and assignments.scheme_name = per_customer_scheme.scheme_name

)

select * from compared
where
    count_primary is distinct from 1
    or primary_segment_name is distinct from segment_name
    or best_priority is distinct from segment_priority
    or count_memberships is distinct from greatest(count_segments_matched, 1)
