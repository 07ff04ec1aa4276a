-- The overridden company_size_band cut-offs reach customer_360.
select
    customer_id,
    company_size_band,
    employee_count
from {{ ref('customer_360') }}
where
    (employee_count between 500 and 999 and company_size_band <> 'enterprise')
    or (employee_count between 50 and 99 and company_size_band <> 'mid_market')
