ALTER TABLE customers ADD COLUMN first_name VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN last_name VARCHAR(100) NOT NULL DEFAULT '';
UPDATE customers
   SET first_name = substr(full_name, 1, instr(full_name, ' ') - 1),
       last_name  = substr(full_name, instr(full_name, ' ') + 1);
ALTER TABLE customers DROP COLUMN full_name;
