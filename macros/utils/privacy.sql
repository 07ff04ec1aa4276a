{#- The pseudonymisation salt is a secret, so it is never a literal in
    compiled SQL: compiled SQL lands in target/, in logs/dbt.log and, for a
    view, in the warehouse catalog, where anyone with the salt can re-hash
    known e-mails. salt_expression() is the SQL that yields it at run time.

    The demo salt applies only to the package's own demo (its project, the
    demo seeds, target dev); anywhere else an unset salt fails the build,
    naming the env var. -#}
{% macro is_demo_build() -%}
    {{ return(
        project_name == 'audience_segments'
        and target.name == 'dev'
        and var('audience_segments_use_demo_seeds', true)
        and not var('audience_segments_external_root', none)
    ) }}
{%- endmacro %}


{% macro missing_salt_message() -%}
    {{ return(
        'audience_segments: no pseudonymisation salt. Set the env var AUDIENCE_SEGMENTS_HASH_SALT '
        ~ '(on DuckDB, with the scripts.duckdb_salt plugin in the profile; see the README, "Privacy"). '
        ~ 'The demo salt applies only to the demo build.'
    ) }}
{%- endmacro %}


{% macro salt_expression() -%}
    {%- if var('audience_segments_hash_salt', none) is not none -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_hash_salt is no longer a var: dbt records vars in target/ (run_results.json, '
            ~ 'manifest.json). Set the env var AUDIENCE_SEGMENTS_HASH_SALT instead.'
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('salt_expression', 'audience_segments')()) }}
{%- endmacro %}

{#- DuckDB: a session variable set by the scripts.duckdb_salt plugin from
    the env var when dbt connects. -#}
{% macro duckdb__salt_expression() -%}
    {#- Both arms typed as text: an untyped error() under || is folded to
        NULL instead of raising. -#}
    {%- set fallback = "'demo-salt-unsafe-for-production'" if audience_segments.is_demo_build()
        else "cast(error('" ~ audience_segments.missing_salt_message() ~ "') as " ~ dbt.type_string() ~ ")" -%}
    coalesce(cast(getvariable('audience_segments_hash_salt') as {{ dbt.type_string() }}), {{ fallback }})
{%- endmacro %}

{#- Elsewhere the salt is still read at compile time, so it appears in
    compiled SQL (target/): keep hashing models tables, never views, and
    target/ private. -#}
{% macro default__salt_expression() -%}
    {%- set salt = env_var('AUDIENCE_SEGMENTS_HASH_SALT', '') -%}
    {%- if not salt and audience_segments.is_demo_build() -%}
        {%- set salt = 'demo-salt-unsafe-for-production' -%}
    {%- elif not salt -%}
        {{ exceptions.raise_compiler_error(audience_segments.missing_salt_message()) }}
    {%- endif -%}
    '{{ salt | replace("'", "''") }}'
{%- endmacro %}


{% macro pseudonymise(expression) -%}
    {{ return(adapter.dispatch('pseudonymise', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__pseudonymise(expression) -%}
    {{ dbt.hash(dbt.concat([audience_segments.salt_expression(), expression])) }}
{%- endmacro %}

{#- DuckDB has sha256: prefer it to the md5 of dbt.hash where it exists. -#}
{% macro duckdb__pseudonymise(expression) -%}
    sha256({{ dbt.concat([audience_segments.salt_expression(), expression]) }})
{%- endmacro %}


{#- True for a person in the population: a staged customer without an
    erasure request (int_customers). Fact models filter their rows with it,
    so an erased person is in no fact table and in no population statistic
    (RFM quintiles, the reference date). -#}
{% macro in_population(customer_id) -%}
    {{ customer_id }} in (select population.customer_id from {{ ref('int_customers') }} as population)
{%- endmacro %}


{#- Erasure, at the first model that reads each source. The people to
    forget are the customer ids of the requests and every id that shares
    an e-mail with one of them (the same person re-exported under another
    id), compared as the base models type them (clean_key, trimmed lower
    e-mail). Read from the raw sources at run time and never stored: a
    table of erased ids would itself remember them. -#}
{% macro erased_customer_ids() -%}
    {%- if not audience_segments.using_source('erasure_requests') -%}
        select cast(null as {{ dbt.type_string() }}) as customer_id where 1 = 0
    {%- else -%}
        {%- set people = audience_segments.source_columns('customers') -%}
        with
        erasure_requested as (
            select
                {{ audience_segments.source_column(
                    'erasure_requests', 'customer_id', audience_segments.source_columns('erasure_requests')
                ) }} as customer_id
            from {{ audience_segments.source_relation('erasure_requests') }}
        ),
        erasure_people as (
            select
                {{ audience_segments.source_column('customers', 'customer_id', people) }} as customer_id,
                {{ audience_segments.source_column('customers', 'email', people) }} as email
            from {{ audience_segments.source_relation('customers') }}
        ),
        erasure_emails as (
            select erasure_people.email
            from erasure_people
            inner join erasure_requested
                on erasure_people.customer_id = erasure_requested.customer_id
            where erasure_people.email is not null
        )
        select erasure_requested.customer_id from erasure_requested
        where erasure_requested.customer_id is not null
        union
        select erasure_people.customer_id
        from erasure_people
        inner join erasure_emails
            on erasure_people.email = erasure_emails.email
        where erasure_people.customer_id is not null
    {%- endif -%}
{%- endmacro %}


{#- True when the customer id (as base models type it) belongs to an
    erased person; false for NULL. `erased` names a relation or CTE that
    already holds erased_customer_ids(), for a query that asks several
    times (the set is otherwise computed in place, once per use). -#}
{% macro is_erased(customer_id, erased=none) -%}
    {%- set people = 'select customer_id from ' ~ erased if erased else audience_segments.erased_customer_ids() -%}
    coalesce({{ customer_id }} in ({{ people }}), false)
{%- endmacro %}


{#- The sources whose rows belong to a customer and are erased with them
    (the requests themselves are kept, their ids as keyed hashes). -#}
{% macro erasable_sources() -%}
    {%- set names = [] -%}
    {%- for name, entry in audience_segments.source_registry().items()
        if name != 'erasure_requests' and 'customer_id' in entry.columns | map(attribute='name') | list -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- The condition on a raw row of `name` that it belongs to an erased
    person ('false' for sources without a customer); `erased` as in
    is_erased. -#}
{% macro raw_row_is_erased(name, erased=none) -%}
    {%- if name in audience_segments.erasable_sources() -%}
        {{ audience_segments.is_erased(audience_segments.source_column(
            name, 'customer_id', audience_segments.source_columns(name)
        ), erased) }}
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}


{#- The raw rows of `name` minus those of erased people: what every base
    model reads, so no base or staging relation holds an erased person. -#}
{% macro unerased_source(name) -%}
    select * from {{ audience_segments.source_relation(name) }}
    {%- if name in audience_segments.erasable_sources() %}
        where not {{ audience_segments.raw_row_is_erased(name) }}
    {%- endif -%}
{%- endmacro %}


{#- The id of the blank row that counts a day's erased event rows
    (base_product__events): one per day, so it stays unique. -#}
{% macro erased_day_row_id(day) -%}
    {{ dbt.concat(["'erased-'", "cast(" ~ day ~ " as " ~ dbt.type_string() ~ ")"]) }}
{%- endmacro %}


{#- Post-hook of base_product__events: rows stored before their person's
    erasure request, on days the run did not replace, become the blank
    per-day `erased` rows a full refresh would have built (merged with a
    day's existing one), so the incremental table equals a full refresh.
    One probe of the stored ids when nobody stored was erased (every full
    refresh, most daily runs); three statements otherwise. Returns no SQL:
    it runs its statements itself. -#}
{% macro erase_stored_events(relation) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set erased = audience_segments.is_erased('customer_id') -%}
    {%- set found = run_query('select count(*) from ' ~ relation ~ ' where ' ~ erased) -%}
    {%- if found.columns[0].values()[0] == 0 -%}{{ return('') }}{%- endif -%}
    {%- set values = [] -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set name = column.name | lower -%}
        {%- do names.append(column.quoted) -%}
        {%- if name == 'duplicate_count' -%}
            {%- do values.append('cast(sum(1 + duplicate_count) - 1 as ' ~ column.data_type ~ ')') -%}
        {%- elif name == '_window_date' -%}
            {%- do values.append('_window_date') -%}
        {%- elif name == 'source_row_id' -%}
            {%- do values.append(audience_segments.erased_day_row_id('_window_date')) -%}
        {%- elif name == 'row_disposition' -%}
            {#- Told apart from the day's old erased row until that is deleted. -#}
            {%- do values.append("'erasing'") -%}
        {%- else -%}
            {%- do values.append('cast(null as ' ~ column.data_type ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- call statement('collect_erased_events') -%}
        insert into {{ relation }} ({{ names | join(', ') }})
        select {{ values | join(', ') }}
        from {{ relation }}
        where row_disposition = 'erased' or {{ erased }}
        group by _window_date
        having count(case when row_disposition <> 'erased' then 1 end) > 0
    {%- endcall -%}
    {%- call statement('delete_erased_events') -%}
        delete from {{ relation }}
        where
            {{ erased }}
            or (
                row_disposition = 'erased'
                and _window_date in (
                    select merged._window_date from {{ relation }} as merged
                    where merged.row_disposition = 'erasing'
                )
            )
    {%- endcall -%}
    {%- call statement('publish_erased_events') -%}
        update {{ relation }} set row_disposition = 'erased' where row_disposition = 'erasing'
    {%- endcall -%}
    {{ return('') }}
{%- endmacro %}
