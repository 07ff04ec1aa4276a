{#- Column name -> data type of the consumer's features model
    (audience_segments_customer_features_model), customer_id left out; {}
    when no model is configured or customer_360's columns are unknown (unit
    tests). `customer_columns` are the customer_360 columns
    (customer_360_columns()).

    The ref() to int_segment_customer_features runs while dbt parses, so
    every model that compiles the schemes depends on it: `dbt build` builds
    the features (and runs their uniqueness test) first. Types come from
    that view when it is built, which is always the case inside
    `dbt build`; before the first build (`dbt compile` on an empty
    warehouse) they come from the `data_type` of the features model's YAML
    columns.

    Compile errors: no customer_id column, a column name that is not a plain
    identifier, a column that clashes with a customer_360 column, columns
    that cannot be read (not built and no data_type in YAML). -#}
{% macro customer_feature_columns(customer_columns) -%}
    {%- set features = audience_segments.customer_features_model() -%}
    {%- if features is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set relation = ref('int_segment_customer_features') -%}
    {%- if not execute or not customer_columns -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set prefix = "audience_segments configuration error: audience_segments_customer_features_model: model '" ~ features.label ~ "'" -%}

    {%- set columns = {} -%}
    {%- set built = load_relation(relation) -%}
    {%- if built is not none -%}
        {%- for column in adapter.get_columns_in_relation(built) -%}
            {%- do columns.update({column.name | lower: column.dtype | lower}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not columns -%}
        {#- Not built yet (or a view that no longer binds): the YAML. -#}
        {%- set untyped = [] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.name == features.name
            and node.package_name == (features.package or project_name) -%}
            {%- for name, column in node.columns.items() -%}
                {%- do columns.update({name | lower: (column.data_type or '') | lower}) -%}
                {%- if not column.data_type %}{% do untyped.append(name) %}{% endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if not columns or untyped -%}
            {{ exceptions.raise_compiler_error(prefix
                ~ ': cannot read its column types: it is not built yet and its YAML does not declare a data_type for '
                ~ ('its columns' if not columns else 'column(s) ' ~ untyped | join(', '))
                ~ '. Run dbt build (it builds the features before the segments) or declare data_type for every column.') }}
        {%- endif -%}
    {%- endif -%}

    {%- if 'customer_id' not in columns -%}
        {{ exceptions.raise_compiler_error(prefix ~ ' has no customer_id column: it must have one row per customer_id') }}
    {%- endif -%}
    {%- set feature_columns = {} -%}
    {%- for name, data_type in columns.items() if name != 'customer_id' -%}
        {%- if not modules.re.match('^[a-z_][a-z0-9_]*$', name) -%}
            {{ exceptions.raise_compiler_error(prefix ~ ": column '" ~ name
                ~ "' is not a plain identifier (letters, digits, _): rename it in the model") }}
        {%- endif -%}
        {%- if name in customer_columns -%}
            {{ exceptions.raise_compiler_error(prefix ~ ": column '" ~ name
                ~ "' clashes with the customer_360 column of the same name: rename it in the model (rules read both)") }}
        {%- endif -%}
        {%- do feature_columns.update({name: data_type}) -%}
    {%- endfor -%}
    {{ return(feature_columns) }}
{%- endmacro %}
