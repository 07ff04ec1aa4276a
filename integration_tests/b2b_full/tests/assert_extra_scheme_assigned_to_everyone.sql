-- The scheme added in dbt_project.yml assigns every customer, the disabled
-- scheme is gone, and the catalog carries the new version.
with

customers as (

    select count(*) as customer_count from {{ ref('customer_360') }}

),

assigned as (

    select count(*) as assigned_count
    from {{ ref('segment_assignments') }}
    where scheme_name = 'campaign_targets' and scheme_version = '2.1.0'

),

disabled as (

    select count(*) as disabled_count
    from {{ ref('segment_definitions') }}
    where scheme_name = 'geographic'

)

select *
from customers
cross join assigned
cross join disabled
where customers.customer_count <> assigned.assigned_count
    or disabled.disabled_count <> 0
