-- How two schemes overlap: customers per pair of primary segments, with the
-- share of each row segment. Compile with
--   dbt compile --select segment_overlap --vars '{rows: value_rfm, columns: lifecycle}'
-- and paste the SQL from target/compiled into a BI tool.
{%- set row_scheme = var('rows', 'value_rfm') -%}
{%- set column_scheme = var('columns', 'lifecycle') %}

with

assignments as (

    select * from {{ ref('segment_assignments') }}

),

row_segments as (

    select
        customer_id,
        segment_name
    from assignments
    where scheme_name = '{{ row_scheme }}'

),

column_segments as (

    select
        customer_id,
        segment_name
    from assignments
    where scheme_name = '{{ column_scheme }}'

),

crossed as (

    select
        row_segments.segment_name as row_segment,
        column_segments.segment_name as column_segment,
        count(*) as customer_count
    from row_segments
    inner join column_segments
        on row_segments.customer_id = column_segments.customer_id
    group by row_segments.segment_name, column_segments.segment_name

),

final as (

    select
        row_segment,
        column_segment,
        customer_count,
        customer_count * 1.0
        / sum(customer_count) over (partition by row_segment) as share_of_row
    from crossed

)

select * from final
