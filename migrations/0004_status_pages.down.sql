DROP TABLE status_page_monitors;
DROP TABLE status_page_groups;
DROP TABLE status_pages;
DROP TYPE status_page_element_type;
