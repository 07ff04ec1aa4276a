{#- Incremental (delete+insert by source_row_id) for sources that change in
    place: every run reads the natural key and version hash of every raw row,
    and re-classifies only the order ids whose set of raw versions differs
    from what is stored (new, updated, re-delivered or deleted rows), whose
    customer check changed, or whose stored verdict can change with time
    (future_timestamp) or configuration (unknown_currency). Stored rows of
    those ids that are no longer in the source are replaced by a `removed`
    tombstone, which the post-hook deletes. The result equals a full
    refresh; see DECISIONLOG.md, "Sources that change in place". -#}
{{ config(
    enabled=audience_segments.using_source('orders'),
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='source_row_id',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where row_disposition = 'removed'"
) }}

{%- set raw_columns = ['ordered_at', 'amount', 'currency'] %}
{%- set output_columns = audience_segments.staged_column_names('orders') + [
    '_row_hash', '_version_hash', '_customer_signed_up_at', 'quarantine_reason', 'quarantine_column',
    'quarantine_value', 'source_row_id', 'row_disposition'
] %}

with

source as (

    {{ audience_segments.unerased_source('orders') }}

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

{%- set version_hash = audience_segments.row_version_hash(audience_segments.raw_row_values('orders')) %}
{%- set raw_order_key = audience_segments.source_column(
    'orders', 'order_id', audience_segments.source_columns('orders')
) %}

{% if is_incremental() %}

    {#- Change detection reads two cheap expressions of every raw row (the
        cleaned order id and a version hash); only affected rows are typed
        and hashed in full. -#}
    raw_versions as (

        select
            {{ raw_order_key }} as natural_key,
            {{ version_hash }} as version_hash,
            count(*) as copies
        from source
        group by natural_key, version_hash

    ),

    stored_versions as (

        select
            order_id as natural_key,
            _version_hash as version_hash,
            count(*) as copies
        from {{ this }}
        group by order_id, _version_hash

    ),

    {{ audience_segments.incremental_changed_customers('valid_customers') }}

    changed_versions as (

        select
            coalesce(raw_versions.natural_key, stored_versions.natural_key) as natural_key,
            coalesce(raw_versions.version_hash, stored_versions.version_hash) as version_hash
        from raw_versions
        full outer join stored_versions
            on
                raw_versions.natural_key is not distinct from stored_versions.natural_key
                and raw_versions.version_hash = stored_versions.version_hash
        where raw_versions.copies is distinct from stored_versions.copies

    ),

    affected_keys as (

        select
            natural_key,
            case when natural_key is null then version_hash end as null_key_version
        from changed_versions
        union
        select
            order_id as natural_key,
            null as null_key_version
        from {{ this }}
        where
            order_id is not null
            and (
                customer_id in (select changed_customers.customer_id from changed_customers)
                or quarantine_reason in ('future_timestamp', 'unknown_currency')
            )

    ),

    affected_source as (

        select source.*
        from source
        where {{ audience_segments.incremental_affected(raw_order_key, version_hash) }}

    ),

    source_batch as (

        {{ audience_segments.typed_source(
            'orders', 'affected_source', raw=raw_columns, passthrough=[version_hash ~ ' as _version_hash']
        ) }}

    ),

{% else %}

    source_batch as (

        {{ audience_segments.typed_source(
            'orders', 'source', raw=raw_columns, passthrough=[version_hash ~ ' as _version_hash']
        ) }}

    ),

{% endif %}

checked as (

    select
        source_batch.*,
        valid_customers.signed_up_at as _customer_signed_up_at,
        case
            when source_batch.order_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when {{ audience_segments.clean_text('source_batch._raw__amount') }} is null then 'missing_amount'
            when source_batch.amount is null then 'unparseable_amount'
            when source_batch.amount < 0 then 'negative_amount'
            when source_batch.amount > {{ audience_segments.max_valid_amount() }} then 'amount_out_of_range'
            when not {{ audience_segments.has_fx_rate('source_batch.currency') }} then 'unknown_currency'
            when {{ audience_segments.clean_text('source_batch._raw__ordered_at') }} is null then 'missing_timestamp'
            when source_batch.ordered_at is null then 'unparseable_timestamp'
            when source_batch.ordered_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
            when source_batch.ordered_at < valid_customers.signed_up_at
                then 'before_signup'
        end as quarantine_reason
    from source_batch
    left join valid_customers
        on source_batch.customer_id = valid_customers.customer_id

),

validated as (

    select
        {{ audience_segments.staged_column_names('orders') | join(',\n        ') }},
        _row_hash,
        _version_hash,
        _customer_signed_up_at,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'order_id',
            'orphan_customer': 'customer_id',
            'missing_amount': 'amount',
            'unparseable_amount': 'amount',
            'negative_amount': 'amount',
            'amount_out_of_range': 'amount',
            'unknown_currency': 'currency',
            'missing_timestamp': 'ordered_at',
            'unparseable_timestamp': 'ordered_at',
            'future_timestamp': 'ordered_at',
            'before_signup': 'ordered_at',
        }, raw=raw_columns) }}
    from checked

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'order_id', 'updated_at desc nulls last'
    ) }}

),

{% if is_incremental() %}

    removed as (

        {#- Stored rows of a re-classified order that the source no longer
            has: a tombstone with the stored id deletes them. -#}
        {%- set tombstone = [] %}
        {%- for column in output_columns %}
            {%- do tombstone.append(
                "cast('removed' as " ~ dbt.type_string() ~ ") as row_disposition"
                if column == 'row_disposition' else 'stored_row.' ~ column
            ) %}
        {%- endfor %}
        select
            {{ tombstone | join(',\n            ') }}
        from {{ this }} as stored_row
        where
            {{ audience_segments.incremental_affected('stored_row.order_id', 'stored_row._version_hash') }}
            and stored_row.source_row_id not in (select classified.source_row_id from classified)

    ),

{% endif %}

final as (

    select {{ output_columns | join(', ') }} from classified
    {% if is_incremental() %}
        union all
        select {{ output_columns | join(', ') }} from removed
    {% endif %}

)

select * from final
