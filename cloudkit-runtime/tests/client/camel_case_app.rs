//! A small app over a schema of our own in the style of real exported ones (camelCase names,
//! acronyms like `userID` and `sourceURL`, Core Data `CD_` types) with no `rename` anywhere,
//! run on the emulator over HTTP on 127.0.0.1.

use crate::support::{API_TOKEN, CONTAINER, fast_retries};
use cloudkit_runtime::client::{Client, Environment, WebAuthToken};
use cloudkit_runtime::{CloudKitRecord, CloudKitRecords, SystemFields, Timestamp};

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "tests/schema/recipes.ckdb")]
pub struct Recipe {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub display_name: String,
    pub author_user_id: String,
    pub source_url: Option<String>,
    pub serving_count: Option<i64>,
    pub last_cooked_at: Option<Timestamp>,
    pub is_favorite: bool,
}

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "tests/schema/recipes.ckdb", core_data)]
pub struct Ingredient {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub name: String,
    pub quantity_grams: Option<f64>,
    pub recipe_id: Option<String>,
}

#[derive(CloudKitRecords, Debug)]
enum Kitchen {
    Recipe(Recipe),
    Ingredient(Ingredient),
}

#[tokio::test]
async fn a_camel_case_schema_round_trips_without_renames() {
    let emu = cloudkit_emulator::Emulator::builder()
        .schema_source(include_str!("../schema/recipes.ckdb"))
        .container(CONTAINER)
        .environment(cloudkit_emulator::Environment::Development)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .expect("emulator starts");
    let client = Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .api_token(API_TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("client");
    let cook = client
        .as_user(WebAuthToken::new(emu.sign_in("alice").expose()))
        .expect("api token");
    let db = cook.public_database();

    for (name, cooked) in [("soup", 1_700_000_000_000), ("bread", 1_710_000_000_000)] {
        let recipe = Recipe {
            meta: SystemFields::new(name),
            display_name: name.to_uppercase(),
            author_user_id: "_alice".into(),
            source_url: Some(format!("https://example.com/{name}")),
            serving_count: Some(4),
            last_cooked_at: Some(Timestamp::from_millis(cooked)),
            is_favorite: name == "bread",
        };
        db.save(&recipe).await.expect("save recipe");
    }
    let flour = Ingredient {
        meta: SystemFields::new("flour"),
        name: "flour".into(),
        quantity_grams: Some(500.0),
        recipe_id: Some("bread".into()),
    };
    db.save(&flour).await.expect("save ingredient");

    let recent = Recipe::query()
        .filter(Recipe::fields().author_user_id().equals("_alice"))
        .sort(Recipe::fields().last_cooked_at().descending());
    let recipes = db.query(recent).all().await.expect("query");
    let names: Vec<_> = recipes.iter().map(|r| r.display_name.as_str()).collect();
    assert_eq!(names, ["BREAD", "SOUP"]);
    assert_eq!(
        recipes[0].source_url.as_deref(),
        Some("https://example.com/bread")
    );

    let for_bread = Ingredient::query().filter(Ingredient::fields().recipe_id().equals("bread"));
    let ingredients = db.query(for_bread).all().await.expect("ingredients");
    assert_eq!(ingredients.len(), 1);
    assert_eq!(ingredients[0].quantity_grams, Some(500.0));

    assert_eq!(Kitchen::RECORD_TYPES, ["Recipe", "CD_Ingredient"]);
    let back = Kitchen::from_record(flour.to_record());
    assert!(matches!(back, Some(Ok(Kitchen::Ingredient(i))) if i.name == "flour"));
    let back = Kitchen::from_record(recipes[0].to_record());
    assert!(matches!(back, Some(Ok(Kitchen::Recipe(r))) if r.display_name == "BREAD"));

    // Typed lookup with desired keys: fields not fetched are `None`; leaving out a required
    // one is a decode error that names it.
    let fields = Recipe::fields();
    let narrow: Recipe = db
        .lookup_keys(
            "bread",
            [
                fields.display_name().key(),
                fields.author_user_id().key(),
                fields.is_favorite().key(),
            ],
        )
        .await
        .expect("narrow lookup");
    assert_eq!(narrow.display_name, "BREAD");
    assert_eq!((narrow.source_url, narrow.serving_count), (None, None));
    let err = db
        .lookup_keys::<Recipe>("bread", [fields.source_url().key()])
        .await
        .expect_err("displayName is required");
    assert!(
        matches!(&err, cloudkit_runtime::client::Error::RecordDecode { message, .. } if message.contains("displayName")),
        "{err}"
    );
    emu.shutdown().await;
}
