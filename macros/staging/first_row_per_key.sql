{#- Deduplicate by aggregation: one row per `key` (a list of columns) with
    the `columns` of its first row in `order_by` (a list of columns,
    ascending, that decides every tie) and `duplicate_count`, the number of
    other rows of the key. A select over `relation`. -#}
{% macro first_row_per_key(relation, key, order_by, columns) -%}
    {{ return(adapter.dispatch('first_row_per_key', 'audience_segments')(relation, key, order_by, columns)) }}
{%- endmacro %}

{% macro default__first_row_per_key(relation, key, order_by, columns) -%}
    select
        {{ (key + columns) | join(', ') }},
        duplicate_count
    from (
        select
            {{ (key + columns) | join(', ') }},
            row_number() over (partition by {{ key | join(', ') }} order by {{ order_by | join(', ') }}) as key_rank,
            count(*) over (partition by {{ key | join(', ') }}) - 1 as duplicate_count
        from {{ relation }}
    ) as ranked
    where key_rank = 1
{%- endmacro %}

{#- One hash aggregate instead of a window sort: arg_min over a struct of
    the wanted columns, ordered by a struct of the ordering columns. -#}
{% macro duckdb__first_row_per_key(relation, key, order_by, columns) -%}
    {%- set wanted = [] -%}
    {%- for column in columns -%}{% do wanted.append("'" ~ column ~ "': " ~ column) %}{%- endfor -%}
    {%- set ordering = [] -%}
    {%- for column in order_by -%}{% do ordering.append("'" ~ column ~ "': " ~ column) %}{%- endfor -%}
    select
        {{ key | join(', ') }},
        {%- for column in columns %}
        first_row.{{ column }},
        {%- endfor %}
        duplicate_count
    from (
        select
            {{ key | join(', ') }},
            arg_min({ {{- wanted | join(', ') -}} }, { {{- ordering | join(', ') -}} }) as first_row,
            count(*) - 1 as duplicate_count
        from {{ relation }}
        group by {{ key | join(', ') }}
    ) as grouped
{%- endmacro %}
