{%- set raw_columns = ['signed_up_at'] %}
{#- Raw personal data stops here: the e-mail leaves as a salted hash, the
    names not at all, so no table or view after the source holds them. -#}
{%- set direct = audience_segments.personal_columns('customers', 'direct') %}
{%- set kept_columns = [] %}
{%- for column in audience_segments.staged_column_names('customers') if column not in direct %}
    {%- do kept_columns.append(column) %}
{%- endfor %}

with

source as (

    {{ audience_segments.unerased_source('customers') }}

),

typed as (

    {{ audience_segments.typed_source('customers', 'source', raw=raw_columns) }}

),

checked as (

    select
        *,
        case
            when customer_id is null then 'missing_key'
            when
                email is not null
                and not {{ audience_segments.is_valid_email('email') }}
                then 'malformed_email'
            when {{ audience_segments.clean_text('_raw__signed_up_at') }} is null then 'missing_timestamp'
            when signed_up_at is null then 'unparseable_timestamp'
            when signed_up_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
        end as quarantine_reason
    from typed

),

validated as (

    select
        {{ kept_columns | join(',\n        ') }},
        {{ audience_segments.pseudonymise('email') }} as email_hash,
        email is not null as has_email,
        _row_hash,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'customer_id',
            'malformed_email': 'email',
            'missing_timestamp': 'signed_up_at',
            'unparseable_timestamp': 'signed_up_at',
            'future_timestamp': 'signed_up_at',
        }, raw=raw_columns, personal=audience_segments.personal_columns('customers')) }}
    from checked

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'customer_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
