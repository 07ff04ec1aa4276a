{#- Reading a registered source: its relation, the columns it really has
    (read from the warehouse at compile time) and one typed, cleaned SQL
    expression per contract column, whatever the column's native type. -#}

{#- The relation (or DuckDB Parquet scan) a base model reads for a
    registered source; see raw_source for the three ways it is chosen. -#}
{% macro source_relation(name) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {{ return(audience_segments.raw_source(entry.source, name)) }}
{%- endmacro %}


{#- Contract column -> physical column, from audience_segments_<source>_columns.
    Unknown contract names fail here, so a typo cannot be ignored. -#}
{% macro source_column_map(name) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {%- set var_name = 'audience_segments_' ~ name ~ '_columns' -%}
    {%- set mapping = var(var_name, {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error(var_name ~ ' must be a mapping {contract_column: your_column}, got ' ~ mapping) }}
    {%- endif -%}
    {%- set contract = entry.columns | map(attribute='name') | list -%}
    {%- for column, physical in mapping.items() -%}
        {%- if column not in contract -%}
            {{ exceptions.raise_compiler_error(
                var_name ~ ": '" ~ column ~ "' is not a column of the " ~ name ~ ' contract; known: ' ~ contract | join(', ')
            ) }}
        {%- endif -%}
        {%- if physical is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_ $.-]*$', physical) -%}
            {{ exceptions.raise_compiler_error(
                var_name ~ ": the column for '" ~ column ~ "' must be a column name, got " ~ physical
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set resolved = {} -%}
    {%- for column in contract -%}
        {%- do resolved.update({column: mapping.get(column, column)}) -%}
    {%- endfor -%}
    {{ return(resolved) }}
{%- endmacro %}


{#- Physical column name (lower case) -> native data type (lower case) of a
    relation, read at compile time. Empty while dbt parses. -#}
{% macro relation_column_types(relation) -%}
    {{ return(adapter.dispatch('relation_column_types', 'audience_segments')(relation)) }}
{%- endmacro %}

{% macro default__relation_column_types(relation) -%}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.data_type | lower}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}

{#- A Parquet scan is not a relation dbt can describe; DuckDB can. -#}
{% macro duckdb__relation_column_types(relation) -%}
    {%- if execute and relation is string and relation.startswith('read_parquet(') -%}
        {%- set types = {} -%}
        {%- for row in run_query('describe select * from ' ~ relation) -%}
            {%- do types.update({row[0] | lower: row[1] | lower}) -%}
        {%- endfor -%}
        {{ return(types) }}
    {%- endif -%}
    {{ return(audience_segments.default__relation_column_types(relation)) }}
{%- endmacro %}


{#- Contract column -> {physical, native type family} for the columns the
    source has; optional columns it lacks are left out, a missing required
    column fails naming the source, the column and the relation.

    In a dbt unit test the input is a fixture CTE that the warehouse cannot
    describe; fixtures stand in for the package's text seeds, so every
    contract column is taken as present and text there (and when linting
    without a warehouse). -#}
{% macro source_columns(name) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {%- set relation = audience_segments.source_relation(name) -%}
    {%- set mapping = audience_segments.source_column_map(name) -%}
    {%- set found = {} -%}
    {%- if not execute -%}
        {{ return(found) }}
    {%- endif -%}
    {%- set types = audience_segments.relation_column_types(relation) -%}
    {#- Linting (sqlfluff's dbt templater) compiles every model without a
        warehouse: .sqlfluff sets audience_segments_compile_without_sources. -#}
    {%- set is_fixture = types | length == 0 and (
        (relation | string).startswith('__dbt__cte__')
        or (var('audience_segments_compile_without_sources', false) | string | lower) == 'true'
    ) -%}
    {%- for column in entry.columns -%}
        {%- set physical = mapping[column.name] -%}
        {%- if is_fixture -%}
            {%- do found.update({column.name: {'physical': physical, 'family': 'text'}}) -%}
        {%- elif (physical | lower) in types -%}
            {%- do found.update({column.name: {
                'physical': physical,
                'family': audience_segments.type_family(types[physical | lower])
            }}) -%}
        {%- elif column.get('required') -%}
            {{ exceptions.raise_compiler_error(
                'audience_segments: source ' ~ name ~ ' (' ~ relation ~ ') has no column ' ~ physical
                ~ ", which the contract requires as '" ~ column.name ~ "'"
                ~ (''  if types else ': the relation does not exist or has no columns')
                ~ '. Map your column with audience_segments_' ~ name ~ '_columns: {' ~ column.name ~ ': your_column}'
                ~ ' or switch the source off with audience_segments_using_' ~ name ~ ': false.'
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{#- Native type -> family: text, integer, number, boolean, date, timestamp
    (without time zone) or timestamptz. -#}
{% macro type_family(data_type) -%}
    {%- set t = data_type | lower | trim -%}
    {%- if t.startswith('timestamp with time zone') or t.startswith('timestamptz') or t.startswith('timestamp_tz') -%}
        {{ return('timestamptz') }}
    {%- elif t.startswith('timestamp') or t.startswith('datetime') -%}
        {{ return('timestamp') }}
    {%- elif t == 'date' -%}
        {{ return('date') }}
    {%- elif t.startswith('bool') -%}
        {{ return('boolean') }}
    {%- elif modules.re.match('^(tinyint|smallint|integer|int|bigint|hugeint|int[1248]|u(tiny|small|big|huge)?int|long|short|byte|serial|bigserial)\\b', t) -%}
        {{ return('integer') }}
    {%- elif modules.re.match('^(decimal|numeric|double|float|real|number)', t) -%}
        {{ return('number') }}
    {%- else -%}
        {{ return('text') }}
    {%- endif -%}
{%- endmacro %}


{#- The staged SQL expression of one contract column: cleaned, normalised
    and cast by kind, reading the native type it arrives in, so that text is
    trimmed and parsed while native values are used as they are. A column
    the source lacks is a typed NULL. -#}
{% macro source_column(name, column_name, columns) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {%- set spec = entry.columns | selectattr('name', 'equalto', column_name) | first -%}
    {%- if spec is none or spec is undefined -%}
        {{ exceptions.raise_compiler_error('audience_segments: ' ~ name ~ ' has no contract column ' ~ column_name) }}
    {%- endif -%}
    {%- set kind = spec.kind -%}
    {%- set found = columns.get(column_name) -%}
    {%- if found is none -%}
        {{ return('cast(null as ' ~ audience_segments.kind_data_type(kind) ~ ')') }}
    {%- endif -%}
    {%- set col = adapter.quote(found.physical) if found.physical != found.physical | lower or ' ' in found.physical else found.physical -%}
    {%- set family = found.family -%}
    {%- set format = var('audience_segments_' ~ name ~ '_timestamp_format', none) -%}
    {%- set as_text = col if family == 'text' else 'cast(' ~ col ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- if kind == 'key' -%}
        {{ return(audience_segments.clean_key(as_text)) }}
    {%- elif kind == 'text' -%}
        {{ return(audience_segments.clean_text(as_text)) }}
    {%- elif kind == 'email' -%}
        {{ return('lower(' ~ audience_segments.clean_text(as_text) ~ ')') }}
    {%- elif kind == 'enum' -%}
        {{ return(audience_segments.normalise_enum(as_text)) }}
    {%- elif kind == 'code' -%}
        {{ return('upper(' ~ audience_segments.clean_text(as_text) ~ ')') }}
    {%- elif kind == 'tool_list' -%}
        {{ return('lower(replace(' ~ audience_segments.clean_text(as_text) ~ ", ' ', ''))") }}
    {%- elif kind in ('number', 'integer') -%}
        {%- set target = audience_segments.kind_data_type(kind) -%}
        {%- if family in ('integer', 'number') -%}
            {{ return('cast(' ~ col ~ ' as ' ~ target ~ ')') }}
        {%- endif -%}
        {{ return(audience_segments.safe_cast(audience_segments.clean_text(as_text), target)) }}
    {%- elif kind in ('timestamp', 'date') -%}
        {%- if family == 'timestamptz' -%}
            {%- set ts = audience_segments.timestamp_to_utc(col) -%}
        {%- elif family in ('timestamp', 'date') -%}
            {%- set ts = 'cast(' ~ col ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
        {%- elif family == 'integer' and format -%}
            {%- set ts = audience_segments.parse_timestamp(as_text, format) -%}
        {%- else -%}
            {%- set ts = audience_segments.parse_timestamp(audience_segments.clean_text(as_text), format) -%}
        {%- endif -%}
        {%- if kind == 'date' -%}
            {{ return('cast(' ~ ts ~ ' as date)') }}
        {%- endif -%}
        {{ return(ts) }}
    {%- elif kind == 'boolean' -%}
        {%- if family == 'boolean' -%}
            {{ return(col) }}
        {%- endif -%}
        {{ return(audience_segments.parse_boolean(audience_segments.normalise_enum(as_text))) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error('audience_segments: unknown column kind ' ~ kind ~ ' for ' ~ name ~ '.' ~ column_name) }}
{%- endmacro %}


{#- The column as delivered, as text, for quarantine examples. -#}
{% macro source_column_raw(column_name, columns) -%}
    {%- set found = columns.get(column_name) -%}
    {%- if found is none -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {%- set col = adapter.quote(found.physical) if found.physical != found.physical | lower or ' ' in found.physical else found.physical -%}
    {{ return(col if found.family == 'text' else 'cast(' ~ col ~ ' as ' ~ dbt.type_string() ~ ')') }}
{%- endmacro %}


{#- The staged data type of a column kind. -#}
{% macro kind_data_type(kind) -%}
    {%- set types = {
        'key': dbt.type_string(), 'email': dbt.type_string(), 'text': dbt.type_string(), 'enum': dbt.type_string(),
        'code': dbt.type_string(), 'tool_list': dbt.type_string(),
        'number': dbt.type_numeric(), 'integer': dbt.type_int(),
        'timestamp': dbt.type_timestamp(), 'date': 'date', 'boolean': dbt.type_boolean(),
    } -%}
    {{ return(types[kind]) }}
{%- endmacro %}
