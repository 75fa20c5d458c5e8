"""Solving: one primitive (`primitive.solve_instance`) over the engines (`engine`: HiGHS in
memory, or any solver Pyomo's SolverFactory runs), the plan it can hold fixed (`plan`), the two
strategies for a whole fan (`strategy`: extensive form, or decomposed on mpi-sppy in
`decompose`), and the process's memory settings for large models (`memory`)."""
