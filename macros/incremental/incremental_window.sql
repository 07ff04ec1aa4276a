{#- Incremental base models.

    base_product__events (append-only): every raw row has a window date
    (`_window_date`, its UTC day; 9999-12-31 when unreadable). A run
    re-reads every raw row whose window date is on/after

        window start = (latest window date already in the table, up to today)
                       - audience_segments_incremental_lookback_days

    (future and unreadable days included) and replaces those days whole
    (delete+insert by _window_date). A raw row that arrives later than the
    window is missed, and stg_audit__row_reconciliation fails (raw > staged
    + quarantined + duplicates) until `dbt build --full-refresh`.

    base_shop__orders (mutable): re-stages the orders whose raw versions
    differ from the stored ones; see the model and DECISIONLOG.md, "Sources
    that change in place".                                                  -#}

{% macro incremental_lookback_days() -%}
    {%- set days = var('audience_segments_incremental_lookback_days', 3) | int -%}
    {%- if days < 0 -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_incremental_lookback_days must be >= 0, got ' ~ days
        ) }}
    {%- endif -%}
    {{ return(days) }}
{%- endmacro %}


{#- One-row select: the first window date an incremental run re-reads. -#}
{% macro incremental_window_start(relation) -%}
    select
        coalesce(
            cast(
                {{ dbt.dateadd(
                    'day',
                    -1 * audience_segments.incremental_lookback_days(),
                    'max(_window_date)'
                ) }} as date
            ),
            cast('1900-01-01' as date)
        ) as window_start
    from {{ relation }}
    where _window_date <= cast({{ audience_segments.max_valid_timestamp() }} as date)
{%- endmacro %}


{#- The `changed_customers` CTE of an incremental base model: customers
    whose stored check (orphan, before_signup) would now give another
    answer, because the customer became valid or invalid or its signup
    moved. `this` keeps the signup each row was checked against in
    `_customer_signed_up_at`. Distinct (customer, signup) pairs first: at 1M
    customers joining every stored row to the customers cost twice as much.
    Emits a trailing comma: call it between CTEs. -#}
{% macro incremental_changed_customers(valid_customers) -%}
    changed_customers as (
        select stored_customer.customer_id
        from (
            select distinct
                customer_id,
                _customer_signed_up_at
            from {{ this }}
            where customer_id is not null
        ) as stored_customer
        left join {{ valid_customers }}
            on stored_customer.customer_id = {{ valid_customers }}.customer_id
        where stored_customer._customer_signed_up_at is distinct from {{ valid_customers }}.signed_up_at
    ),
{%- endmacro %}


{#- The re-classification unit of an incremental base model whose source
    changes in place, as a condition on `key` and `version_hash` (column
    expressions of the rows being filtered) against the `affected` CTE
    (natural_key, null_key_version): every row of an affected natural key,
    and a row without a key (always quarantined as missing_key) by its own
    version hash. -#}
{% macro incremental_affected(key, version_hash, affected='affected_keys') -%}
    {#- One line: it lands inside callers' WHERE clauses at any indent. -#}
    {%- set keys = 'select ' ~ affected ~ '.natural_key from ' ~ affected ~ ' where ' ~ affected ~ '.natural_key is not null' -%}
    {%- set versions = 'select ' ~ affected ~ '.null_key_version from ' ~ affected
        ~ ' where ' ~ affected ~ '.null_key_version is not null' -%}
    ({{ key }} in ({{ keys }}) or ({{ key }} is null and {{ version_hash }} in ({{ versions }})))
{%- endmacro %}
