//! Snapshots of what the derive expands to, formatted with prettyplease. The input is recorded
//! beside each expansion (insta's `description`).

use quote::quote;

fn expand(input: proc_macro2::TokenStream) -> String {
    let output = cloudkit_codegen::derive_record(input);
    let file: syn::File = match syn::parse2(output.clone()) {
        Ok(file) => file,
        Err(e) => return format!("unparseable output: {e}\n{output}"),
    };
    let text = prettyplease::unparse(&file);
    // The absolute schema path differs per checkout.
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    text.replace(&workspace, "$WORKSPACE")
}

#[test]
fn representative_struct() {
    let input = quote! {
        #[cloudkit(schema = "../cloudkit-derive/tests/schema/notes.ckdb", record_type = "Note")]
        pub struct Note {
            #[cloudkit(system)]
            pub meta: SystemFields,
            pub title: String,
            pub body: Option<String>,
            pub tags: Vec<String>,
            #[cloudkit(rename = "folder")]
            pub folder_ref: Option<Reference<Folder>>,
            pub secret: Option<String>,
            #[cloudkit(skip)]
            pub cached: u64,
        }
    };
    insta::with_settings!({ description => input.to_string() }, {
        insta::assert_snapshot!(expand(input));
    });
}

/// `core_data`: prefixed names, and `CD_entityName` written from the struct's name.
#[test]
fn core_data_struct() {
    let input = quote! {
        #[cloudkit(schema = "../cloudkit-derive/tests/schema/core_data.ckdb", core_data)]
        pub struct Traveler {
            pub display_name: Option<String>,
            pub home_airport_id: Option<String>,
        }
    };
    insta::with_settings!({ description => input.to_string() }, {
        insta::assert_snapshot!(expand(input));
    });
}

#[test]
fn every_error_is_reported_at_once() {
    let input = quote! {
        #[cloudkit(schema = "../cloudkit-derive/tests/schema/notes.ckdb", record_type = "Note")]
        pub struct Note {
            pub titel: String,
            pub pinned: String,
            #[cloudkit(rename = "title")]
            pub a: String,
            #[cloudkit(rename = "title")]
            pub b: String,
            #[cloudkit(renam = "x")]
            pub c: String,
        }
    };
    let output = cloudkit_codegen::derive_record(input).to_string();
    let errors: Vec<&str> = output.matches("compile_error").collect();
    assert_eq!(errors.len(), 5, "{output}");
    assert!(output.contains("did you mean `title`"), "{output}");
    assert!(output.contains("notes.ckdb:14:9"), "{output}");
}
