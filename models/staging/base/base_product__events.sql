with

source as (

    select * from {{ audience_segments.raw_source('product', 'events') }}

),

customers as (

    select * from {{ ref('base_crm__customers') }}

),

valid_customers as (

    select
        customer_id,
        signed_up_at
    from customers
    where row_disposition = 'staged'

),

typed as (

    select
        {{ audience_segments.clean_text('customer_id') }} as customer_id,

        {{ audience_segments.normalise_enum('event_type') }} as event_type,
        {{ audience_segments.normalise_enum('feature_name') }} as feature_name,

        {{ audience_segments.safe_cast(audience_segments.clean_text('event_count'), dbt.type_int()) }}
            as event_count,

        cast(
            {{ audience_segments.safe_cast(audience_segments.clean_text('event_date'), dbt.type_timestamp()) }}
            as date
        ) as event_date,

        {{ audience_segments.clean_text('event_date') }} as event_date_raw,
        {{ audience_segments.surrogate_key([
            'customer_id', 'event_date', 'event_type', 'feature_name',
            'event_count'
        ]) }} as _row_hash

    from source

),

keyed as (

    select
        {{ audience_segments.surrogate_key([
            'customer_id', 'event_date', 'event_type', 'feature_name'
        ]) }} as event_day_id,
        *
    from typed

),

validated as (

    select
        keyed.*,
        case
            when keyed.customer_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when
                keyed.event_type is null
                or keyed.event_type not in (
                    {{ audience_segments.quoted_list(
                        audience_segments.accepted_event_types()
                    ) }}
                ) then 'unknown_event_type'
            when keyed.event_count is null or keyed.event_count <= 0
                then 'invalid_count'
            when keyed.event_date_raw is null then 'missing_timestamp'
            when keyed.event_date is null then 'unparseable_timestamp'
            when
                keyed.event_date
                > cast({{ audience_segments.max_valid_timestamp() }} as date)
                then 'future_timestamp'
            when keyed.event_date < cast(valid_customers.signed_up_at as date)
                then 'before_signup'
        end as quarantine_reason
    from keyed
    left join valid_customers
        on keyed.customer_id = valid_customers.customer_id

),

classified as (

    {#- A key delivered twice is a double load, not two facts: keep the
        larger count so a partial first delivery never wins. -#}
    {{ audience_segments.row_disposition(
        'validated', 'event_day_id', 'event_count desc'
    ) }}

)

select * from classified
