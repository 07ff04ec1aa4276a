with

source as (

    select * from {{ audience_segments.raw_source('crm', 'customers') }}

),

typed as (

    select
        {{ audience_segments.clean_text('customer_id') }} as customer_id,
        {{ audience_segments.clean_text('account_id') }} as account_id,

        lower({{ audience_segments.clean_text('email') }}) as email,
        {{ audience_segments.clean_text('first_name') }} as first_name,
        {{ audience_segments.clean_text('last_name') }} as last_name,
        {{ audience_segments.normalise_enum('gender') }} as gender,
        upper({{ audience_segments.clean_text('country_code') }}) as country_code,
        {{ audience_segments.clean_text('region') }} as region,
        {{ audience_segments.clean_text('city') }} as city,
        {{ audience_segments.clean_text('postal_code') }} as postal_code,
        {{ audience_segments.clean_text('job_title') }} as job_title,
        {{ audience_segments.normalise_enum('seniority') }} as seniority,
        {{ audience_segments.normalise_enum('acquisition_channel') }}
            as acquisition_channel,

        case
            when
                {{ audience_segments.normalise_enum('marketing_consent') }}
                in ('true', 'yes', '1', 'y') then true
            when
                {{ audience_segments.normalise_enum('marketing_consent') }}
                in ('false', 'no', '0', 'n') then false
        end as has_marketing_consent,

        cast(
            {{ audience_segments.safe_cast(audience_segments.clean_text('birth_date'), dbt.type_timestamp()) }}
            as date
        ) as birth_date,
        {{ audience_segments.safe_cast(audience_segments.clean_text('signed_up_at'), dbt.type_timestamp()) }}
            as signed_up_at,
        {{ audience_segments.safe_cast(audience_segments.clean_text('updated_at'), dbt.type_timestamp()) }}
            as updated_at,

        {{ audience_segments.clean_text('signed_up_at') }} as signed_up_at_raw,
        {{ audience_segments.surrogate_key([
            'customer_id', 'email', 'first_name', 'last_name', 'birth_date',
            'gender', 'country_code', 'region', 'city', 'postal_code',
            'job_title', 'seniority', 'acquisition_channel', 'signed_up_at',
            'marketing_consent', 'account_id', 'updated_at'
        ]) }} as _row_hash

    from source

),

validated as (

    select
        *,
        case
            when customer_id is null then 'missing_key'
            when
                email is not null
                and not {{ audience_segments.is_valid_email('email') }}
                then 'malformed_email'
            when signed_up_at_raw is null then 'missing_timestamp'
            when signed_up_at is null then 'unparseable_timestamp'
            when signed_up_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
        end as quarantine_reason
    from typed

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'customer_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
