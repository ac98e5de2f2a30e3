CREATE TABLE "ncci_add_on_codes" (
	"add_on_code" text PRIMARY KEY NOT NULL,
	"edit_type" smallint NOT NULL,
	"primary_codes" text[] NOT NULL
);
