{#- Incremental base models (base_shop__orders, base_product__events).

    Every raw row has a window date (`_window_date`, the day it can last have
    arrived: greatest of its event and update times). An incremental run
    re-reads and re-classifies every raw row whose window date is NULL,
    after today, or on/after

        window start = (latest window date already in the table, up to today)
                       - audience_segments_incremental_lookback_days

    and deletes + re-inserts those rows by source_row_id. Rows older than the
    window start are not re-read; a raw row that arrives later than that is
    missed, and stg_audit__row_reconciliation fails (raw > staged +
    quarantined + duplicates) until `dbt build --full-refresh`. See
    DECISIONLOG.md, "Incremental staging of orders and events".             -#}

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


{#- True for a row an incremental run re-reads (see above). -#}
{% macro in_incremental_window(window_date, window_start) -%}
    ({{ window_date }} is null or {{ window_date }} >= {{ window_start }})
{%- endmacro %}


{#- The `window_start` and `source_batch` CTEs of an incremental base model
    (only `source_batch` on a full build), read from a CTE that carries
    `_window_date`. Filtering happens before typing and hashing, so only the
    window is re-read. Emits a trailing comma: call it between CTEs. -#}
{% macro incremental_source_batch(dated) -%}
    {%- if is_incremental() %}
    window_start as (
        {{ audience_segments.incremental_window_start(this) }}
    ),

    source_batch as (
        select {{ dated }}.*
        from {{ dated }}
        cross join window_start
        where {{ audience_segments.in_incremental_window(dated ~ '._window_date', 'window_start.window_start') }}
    ),
    {%- else %}
    source_batch as (
        select * from {{ dated }}
    ),
    {%- endif %}
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


{#- The `carried` and `candidates` CTEs of an incremental base model: the
    stored rows outside the window whose `key` is in `keys` (a CTE with a
    column of that name) are re-classified together with the re-read
    `batch`. `columns` are the stored columns the batch has, in its order.
    Emits a trailing comma: call it between CTEs. -#}
{% macro incremental_candidates(batch, columns, key, keys) -%}
    carried as (
        select
            {% for column in columns -%}
                stored_row.{{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from {{ this }} as stored_row
        cross join window_start
        where
            not {{ audience_segments.in_incremental_window('stored_row._window_date', 'window_start.window_start') }}
            and stored_row.{{ key }} in (select {{ keys }}.{{ key }} from {{ keys }})
    ),

    candidates as (
        select * from {{ batch }}
        union all
        select * from carried
    ),
{%- endmacro %}
