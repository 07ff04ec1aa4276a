{#- Every raw row gets exactly one disposition, so that
    raw rows = staged + quarantined + duplicates holds by construction and is
    tested in stg_audit__row_reconciliation.

    relation:   a CTE with the typed columns, `quarantine_reason` (NULL when
                the row is valid) and `_row_hash` (hash of the raw row).
    key:        natural key columns; among valid rows only the first per key
                in `order_by` is staged, the others are duplicates.
    order_by:   winner first; `_row_hash`, then `source_row_id`, are appended
                as the last tie-breakers so exact ties (and exact copies)
                resolve the same way on every run.                          -#}
{% macro row_disposition(relation, key, order_by) -%}
    {{ return(adapter.dispatch('row_disposition', 'audience_segments')(relation, key, order_by)) }}
{%- endmacro %}

{% macro default__row_disposition(relation, key, order_by) -%}
    {%- if key is string %}{% set key = [key] %}{% endif -%}
    select
        *,
        case
            when quarantine_reason is not null then 'quarantined'
            when row_number() over (
                partition by
                    {{ key | join(', ') }},
                    case when quarantine_reason is null then 1 else 0 end
                {# Exact copies tie on everything but source_row_id: ordering
                   on it too makes the staged copy the same on every run. #}
                order by {{ order_by }}, _row_hash, source_row_id
            ) > 1 then 'duplicate'
            else 'staged'
        end as row_disposition
    from (
        select
            *,
            {#- Exact copies share a row hash, so the copy number completes
                the key: one id per raw row, duplicates included. -#}
            {{ audience_segments.surrogate_key([
                '_row_hash',
                'row_number() over (partition by _row_hash order by _row_hash)'
            ]) }} as source_row_id
        from {{ relation }}
    ) as identified
{%- endmacro %}
