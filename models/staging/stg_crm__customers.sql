with

base as (

    select * from {{ ref('base_crm__customers') }}

),

final as (

    select
        customer_id,
        account_id,

        email_hash,
        gender,
        case
            when country_code in (
                {{ audience_segments.quoted_list(audience_segments.known_country_codes()) }}
            ) then country_code
        end as country_code,
        region,
        city,
        postal_code,
        job_title,
        seniority,
        acquisition_channel,

        has_email,
        has_marketing_consent,

        birth_date,
        signed_up_at,
        updated_at
    from base
    where row_disposition = 'staged'

)

select * from final
