{#- The typed select of a base model: one cleaned, typed column per contract
    column of the source (named as staged), the raw text of the columns
    quarantine examples need (`_raw__<column>`), the row hash and any
    pass-through columns, read from `relation` (the source itself or a CTE
    over it). Columns are read by their native type (see source_column).
    `only` limits the typed columns to a list (the row hash still covers
    the whole row). `hash=false` leaves the row hash out: hashing every row
    is the dearest part of staging a large source, so a model that needs it
    for a few rows only hashes their `_raw__` columns itself. -#}
{% macro typed_source(name, relation, raw=[], passthrough=[], only=none, hash=true) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {%- set columns = audience_segments.source_columns(name) -%}
    {%- set items = [] -%}
    {%- for spec in entry.columns if only is none or spec.name in only -%}
        {%- do items.append(audience_segments.source_column(name, spec.name, columns) ~ ' as ' ~ spec.get('staged_as', spec.name)) -%}
    {%- endfor -%}
    {%- for column in raw -%}
        {%- do items.append(audience_segments.source_column_raw(column, columns) ~ ' as _raw__' ~ column) -%}
    {%- endfor -%}
    {%- if hash -%}
        {%- do items.append(audience_segments.surrogate_key(audience_segments.raw_row_values(name)) ~ ' as _row_hash') -%}
    {%- endif -%}
    {%- for column in passthrough -%}
        {%- do items.append(column) -%}
    {%- endfor -%}
    select
        {{ items | join(',\n        ') }}
    from {{ relation }}
{%- endmacro %}


{#- The delivered text of every contract column present in the source
    relation, in contract order: what a row hash covers. -#}
{% macro raw_row_values(name) -%}
    {%- set columns = audience_segments.source_columns(name) -%}
    {%- set values = [] -%}
    {%- for column in audience_segments.present_contract_columns(name) -%}
        {%- do values.append(audience_segments.source_column_raw(column, columns)) -%}
    {%- endfor -%}
    {{ return(values or ["''"]) }}
{%- endmacro %}


{#- The contract columns of a source present in its relation, in contract
    order: the columns the row hash covers. -#}
{% macro present_contract_columns(name) -%}
    {%- set columns = audience_segments.source_columns(name) -%}
    {%- set present = [] -%}
    {%- for spec in audience_segments.registry_source(name).columns if spec.name in columns -%}
        {%- do present.append(spec.name) -%}
    {%- endfor -%}
    {{ return(present) }}
{%- endmacro %}


{#- The staged names of a source's contract columns, in contract order. -#}
{% macro staged_column_names(name) -%}
    {%- set names = [] -%}
    {%- for spec in audience_segments.registry_source(name).columns -%}
        {%- do names.append(spec.get('staged_as', spec.name)) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- The contract column a quarantine reason is about and its value as
    delivered (text), for the audit trail and the quarantine-share message.
    `about` maps reason code -> contract column; `raw` lists the columns
    typed_source kept as `_raw__<column>` (others are shown as staged).
    Two select-list items: quarantine_column, quarantine_value. The value of
    a column in `personal` is withheld (NULL): base tables are read by more
    people than the source, and an invalid e-mail is still an e-mail. -#}
{% macro quarantine_detail(about, raw=[], reason='quarantine_reason', personal=[]) -%}
    case {{ reason }}
        {%- for code, column in about.items() %}
        when '{{ code }}' then '{{ column }}'
        {%- endfor %}
    end as quarantine_column,
    case
        when {{ reason }} is null then null
        {%- for code, column in about.items() %}
        when {{ reason }} = '{{ code }}' then
            {%- if column in personal %} cast(null as {{ dbt.type_string() }})
            {%- elif column in raw %} _raw__{{ column }}
            {%- else %} cast({{ column }} as {{ dbt.type_string() }})
            {%- endif %}
        {%- endfor %}
    end as quarantine_value
{%- endmacro %}
