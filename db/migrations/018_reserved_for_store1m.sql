-- Stand-in for the 018 of the store1m branch (document heads index), so that this branch's 019 is
-- numbered as it will be once both are merged: drop this file when that branch's 018 comes in.
SELECT 1;
