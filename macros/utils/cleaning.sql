{#- Every kind of whitespace an export carries around a value: space, tab,
    line breaks, no-break and narrow no-break spaces, the byte-order mark,
    zero-width characters and the other Unicode spaces, as code points.
    Plain trim() removes spaces only, and a tab-padded id then names another
    customer. -#}
{% macro whitespace_code_points() -%}
    {{ return([
        32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198,
        8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279
    ]) }}
{%- endmacro %}


{% macro trim_whitespace(expression) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'audience_segments')(expression)) }}
{%- endmacro %}

{#- trim(both <characters> from x) is standard SQL (PostgreSQL, Spark,
    Snowflake take it); chr() keeps the characters visible in compiled SQL. -#}
{% macro default__trim_whitespace(expression) -%}
    {%- set parts = [] -%}
    {%- for code_point in audience_segments.whitespace_code_points() -%}
        {%- do parts.append('chr(' ~ code_point ~ ')') -%}
    {%- endfor -%}
    trim(both {{ parts | join(' || ') }} from {{ expression }})
{%- endmacro %}

{#- DuckDB's trim() with a character list is 20x slower than plain trim()
    (8.2 s against 0.4 s on 10M ids); an anchored RE2 replace costs the same
    as plain trim(). -#}
{% macro duckdb__trim_whitespace(expression) -%}
    {%- set characters = [] -%}
    {%- for code_point in audience_segments.whitespace_code_points() -%}
        {%- do characters.append('\\x{' ~ '%x' | format(code_point) ~ '}') -%}
    {%- endfor -%}
    {%- set class = '[' ~ characters | join('') ~ ']' -%}
    regexp_replace({{ expression }}, '^{{ class }}+|{{ class }}+$', '', 'g')
{%- endmacro %}


{#- Text cleaning shared by every staging model. -#}

{#- Text cleaning shared by every staging model: whitespace trimmed, empty
    text is NULL. -#}
{% macro clean_text(expression) -%}
    {{ return(adapter.dispatch('clean_text', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__clean_text(expression) -%}
    nullif({{ audience_segments.trim_whitespace(expression) }}, '')
{%- endmacro %}


{#- An identifier: cleaned like text (an id of whitespace only is NULL, so
    the row is missing_key), and lower-cased when
    audience_segments_case_insensitive_ids is true ('C1' and 'c1' are then
    one customer). -#}
{% macro clean_key(expression) -%}
    {{ return(adapter.dispatch('clean_key', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__clean_key(expression) -%}
    {%- set insensitive = var('audience_segments_case_insensitive_ids', false) -%}
    {%- if insensitive is not boolean -%}
        {{ exceptions.raise_compiler_error('audience_segments_case_insensitive_ids must be true or false, got ' ~ insensitive) }}
    {%- endif -%}
    {%- if insensitive -%}
        lower({{ audience_segments.clean_text(expression) }})
    {%- else -%}
        {{ audience_segments.clean_text(expression) }}
    {%- endif -%}
{%- endmacro %}


{% macro normalise_enum(expression) -%}
    {{ return(adapter.dispatch('normalise_enum', 'audience_segments')(expression)) }}
{%- endmacro %}

{#- Sources spell one label many ways ('  Paid Social', 'PAID_SOCIAL',
    'Order Completed'); lower snake case makes them one value. -#}
{% macro default__normalise_enum(expression) -%}
    nullif(replace(replace(lower({{ audience_segments.trim_whitespace(expression) }}), ' ', '_'), '-', '_'), '')
{%- endmacro %}


{#- true/false/yes/no/y/n/t/f/1/0 (already normalised) as a boolean; any
    other value is NULL (unknown). -#}
{% macro parse_boolean(expression) -%}
    case
        when {{ expression }} in ('true', 'yes', 'y', 't', '1') then true
        when {{ expression }} in ('false', 'no', 'n', 'f', '0') then false
    end
{%- endmacro %}


{% macro is_valid_email(expression) -%}
    {{ return(adapter.dispatch('is_valid_email', 'audience_segments')(expression)) }}
{%- endmacro %}

{#- LIKE patterns rather than a regex so the rule runs unchanged on every
    warehouse: one '@' with text on both sides, a dot in the domain, no space. -#}
{% macro default__is_valid_email(expression) -%}
    (
        {{ expression }} like '%_@_%._%'
        and {{ expression }} not like '%@%@%'
        and {{ expression }} not like '% %'
    )
{%- endmacro %}


{% macro surrogate_key(columns) -%}
    {{ return(adapter.dispatch('surrogate_key', 'audience_segments')(columns)) }}
{%- endmacro %}

{#- A NULL part must not make the whole key NULL, and ('a', NULL) must not
    collide with ('a', ''), hence the sentinel. -#}
{% macro default__surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string()
            ~ "), '_null_')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- A version hash of a raw row, for change detection only (never an id):
    equal rows hash equal, and two versions of one key colliding is the
    only way a change goes unseen. The default is the surrogate key;
    DuckDB's 64-bit hash() costs a fraction of md5 over the same text, and
    change detection hashes every raw row on every run. -#}
{% macro row_version_hash(columns) -%}
    {{ return(adapter.dispatch('row_version_hash', 'audience_segments')(columns)) }}
{%- endmacro %}

{% macro default__row_version_hash(columns) -%}
    {{ audience_segments.surrogate_key(columns) }}
{%- endmacro %}

{% macro duckdb__row_version_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}


{#- Values as a list of SQL string literals, quotes doubled: configured
    labels (statuses, event names, currencies) reach SQL only as data. -#}
{% macro quoted_list(values) -%}
    {%- for value in values -%}
        '{{ value | string | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}


{#- A configuration string as a SQL literal, typed as text even when empty. -#}
{% macro sql_string(value) -%}
    cast('{{ (value if value is not none else "") | string | replace("'", "''") }}' as {{ dbt.type_string() }})
{%- endmacro %}


{#- Cast that yields NULL instead of failing, so an unreadable value becomes a
    quarantine reason rather than a failed run. -#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'audience_segments')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{#- dbt-duckdb's safe_cast is a plain cast; DuckDB's own try_cast is safe.
    Text to a decimal wider than 18 digits (dbt's numeric is (28,6)) goes
    through 128-bit arithmetic and cost 24 s for 9.5M order amounts against
    0.6 s for decimal(18, s): the narrow cast is tried first and the wide one
    only where it gave NULL (too large, or not a number), so the result is
    the same. -#}
{% macro duckdb__safe_cast(expression, data_type) -%}
    {%- set decimal = modules.re.match(
        '^\\s*(numeric|decimal)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)\\s*$', data_type | string, modules.re.IGNORECASE
    ) -%}
    {%- if decimal and decimal.group(2) | int > 18 and decimal.group(3) | int <= 18 -%}
        cast(coalesce(
            try_cast({{ expression }} as decimal(18, {{ decimal.group(3) }})),
            try_cast({{ expression }} as {{ data_type }})
        ) as {{ data_type }})
    {%- else -%}
        try_cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
